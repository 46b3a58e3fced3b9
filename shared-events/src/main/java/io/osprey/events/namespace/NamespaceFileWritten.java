package io.osprey.events.namespace;

import io.osprey.events.ReferencesBlobs;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * A new revision of a file was stored: revision 1 for a new file, the previous one plus 1 otherwise.
 * {@code uri} names the blob holding exactly these bytes; it was written before this event.
 */
@Revision("1")
public record NamespaceFileWritten(String tenant, String namespace, String path, int revision, long size,
                                   String sha256, String uri, Instant at) implements NamespaceFileEvent, ReferencesBlobs {

    @Override
    public List<String> blobUris() {
        return List.of(uri);
    }
}
