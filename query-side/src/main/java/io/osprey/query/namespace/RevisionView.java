package io.osprey.query.namespace;

import java.time.Instant;

/** One revision of a file, as listed: its number, size, SHA-256 and when it was written. */
public record RevisionView(int revision, long size, String sha256, Instant date) {

    static RevisionView of(NamespaceFileRevision revision) {
        return new RevisionView(revision.revision(), revision.size(), revision.sha256(), revision.at());
    }
}
