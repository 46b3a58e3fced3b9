package io.osprey.events.namespace;

import java.time.Instant;

/**
 * Every event of a namespace's file tree names its tenant, its namespace and when it happened. Paths in
 * these events are normalised {@link NamespacePath} values, such as {@code /scripts/etl.py}.
 */
public interface NamespaceFileEvent {
    String tenant();

    String namespace();

    Instant at();
}
