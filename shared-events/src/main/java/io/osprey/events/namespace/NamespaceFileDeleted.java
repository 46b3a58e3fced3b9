package io.osprey.events.namespace;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A file, or a directory with its whole subtree, was deleted, revisions included. The blobs stay: earlier
 * events still point at them.
 */
@Revision("1")
public record NamespaceFileDeleted(String tenant, String namespace, String path, boolean directory, Instant at)
        implements NamespaceFileEvent {
}
