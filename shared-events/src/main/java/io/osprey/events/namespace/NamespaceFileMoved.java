package io.osprey.events.namespace;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A file or a directory moved (or was renamed) from one path to another. A directory moves with its whole
 * subtree; every file keeps its revisions under its new path.
 */
@Revision("1")
public record NamespaceFileMoved(String tenant, String namespace, String from, String to, boolean directory,
                                 Instant at) implements NamespaceFileEvent {
}
