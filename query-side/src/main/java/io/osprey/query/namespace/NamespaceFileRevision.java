package io.osprey.query.namespace;

import java.time.Instant;

/** One stored revision of a file: its bytes are the blob at {@code uri}. */
record NamespaceFileRevision(int revision, long size, String sha256, String uri, Instant at) {
}
