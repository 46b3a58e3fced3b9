package io.osprey.query.projection;

import org.springframework.stereotype.Component;

import java.util.concurrent.TimeUnit;

/**
 * A signal raised each time a projection batch commits in this process, so that queries waiting for a
 * position re-check at once instead of at their next poll.
 */
@Component
public class ProjectionCommits {

    private long commits;

    public synchronized void committed() {
        commits++;
        notifyAll();
    }

    /** How many batches have committed so far; pass it to {@link #awaitNext} to miss none. */
    public synchronized long count() {
        return commits;
    }

    /** Waits until a batch commits after the given count was read, or the timeout passes. */
    public synchronized void awaitNext(long seenCount, long timeoutNanos) throws InterruptedException {
        if (commits == seenCount && timeoutNanos > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, timeoutNanos);
        }
    }
}
