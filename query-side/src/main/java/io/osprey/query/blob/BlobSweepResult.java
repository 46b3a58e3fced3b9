package io.osprey.query.blob;

import java.time.Instant;

/**
 * What one sweep did. {@code scanned} blobs were listed; of those, {@code deleted} were removed (no event
 * points at them and they were older than the grace period), {@code referenced} and {@code young} were kept.
 * A sweep is {@code SKIPPED} (nothing deleted, {@code reason} says why) when the blob references read model
 * has not caught up with the event store, and {@code FAILED} when the store or database failed part way.
 *
 * @param head   the event store head the read model had to cover (as of the start)
 * @param cutoff blobs last modified before this instant were old enough to delete
 */
public record BlobSweepResult(Status status, String reason, Instant startedAt, Instant finishedAt, long head,
                              Instant cutoff, int tenants, long scanned, long deleted, long referenced, long young,
                              long unfinished) {

    public enum Status { COMPLETED, SKIPPED, FAILED }

    static BlobSweepResult skipped(String reason, Instant startedAt, long head, Instant cutoff) {
        return new BlobSweepResult(Status.SKIPPED, reason, startedAt, Instant.now(), head, cutoff, 0, 0, 0, 0, 0, 0);
    }
}
