package io.osprey.command.dispatch;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * After a write whose transaction failed once its events were appended (in the commit itself, say the database going
 * away just then), whether they were stored after all: the event store is asked where the last one is, while it does
 * not answer for up to {@link #PATIENCE}, and the outcome is unknown after that.
 */
public final class CommitCheck {

    static final Duration PATIENCE = Duration.ofSeconds(10);

    private CommitCheck() {
    }

    /**
     * @param position  where the last event is now, -1 when absent (may throw while the database is away)
     * @param appended  where it was when it was appended, inside the failed transaction
     * @param what      what was written, for the message of a {@link CommitOutcomeUnknownException}
     */
    public static boolean committed(LongSupplier position, long appended, String what, RuntimeException failure) {
        return committed(position, appended, what, failure, PATIENCE);
    }

    static boolean committed(LongSupplier position, long appended, String what, RuntimeException failure,
                             Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        long pauseMillis = 50;
        while (true) {
            try {
                return position.getAsLong() == appended;
            } catch (RuntimeException unanswered) {
                if (System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                    CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException(what, failure);
                    unknown.addSuppressed(unanswered);
                    throw unknown;
                }
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommitOutcomeUnknownException(what, failure);
            }
            pauseMillis = Math.min(pauseMillis * 2, 1000);
        }
    }
}
