package io.osprey.query.namespace;

import io.osprey.events.namespace.NamespacePath;

import java.time.Instant;

/**
 * A file (at its current revision) or a directory of the read model. The root is no row of its own: its
 * times are those of the namespace's first and last change, null before any.
 */
record NamespaceFileRow(NamespacePath path, boolean directory, Integer revision, Long size, String sha256, String uri,
                        Instant created, Instant updated) {
}
