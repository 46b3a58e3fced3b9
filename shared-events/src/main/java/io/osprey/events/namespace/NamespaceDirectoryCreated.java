package io.osprey.events.namespace;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A directory was created, asked for or implied by a file written or moved below it. */
@Revision("1")
public record NamespaceDirectoryCreated(String tenant, String namespace, String path, Instant at)
        implements NamespaceFileEvent {
}
