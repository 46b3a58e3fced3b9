package io.osprey.events;

import java.util.List;

/**
 * An event that points at blobs (by {@code osprey:///} URI). Whatever such an event names must never be
 * swept from the blob store, so the blob-reference read model listens to this one type, not to each event.
 */
public interface ReferencesBlobs {

    /** The {@code osprey:///} URIs this event points at; empty when it points at none. */
    List<String> blobUris();
}
