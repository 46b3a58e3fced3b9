package io.osprey.events.store;

import java.time.Duration;

/**
 * A write whose events would have committed later than half {@code osprey.event-store.gap-timeout} after they were
 * dated ({@link CommitDeadline}): it was rolled back, nothing of it is stored, and it may be sent again.
 */
public class AppendTooLateException extends RuntimeException {

    public AppendTooLateException(Duration late, Duration limit) {
        super("the write reached its commit " + late.toMillis() + " ms after its events were dated, more than "
                + limit.toMillis() + " ms (half osprey.event-store.gap-timeout; the database is slow to answer): it was "
                + "rolled back, nothing was written, retry later");
    }
}
