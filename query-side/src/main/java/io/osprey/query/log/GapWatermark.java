package io.osprey.query.log;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;

import java.time.Duration;
import java.time.Instant;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The highest global index up to which the index holds every event that will ever be written: a follow sends lines
 * up to it only, so that an event committed late into a lower index is not passed over. A gap in the index's token
 * is such an event until the database says the write that took it ended without one ({@link RollbackCheck}, on
 * PostgreSQL), or else until this node has seen it as a gap for the event store's gap timeout. Axon drops a gap from
 * a token only once the token holds 250 of them or it is 10,000 events behind, and command sides racing on one
 * aggregate leave a gap at every lost race: waiting for Axon held every follow back, on every node, for thousands of
 * events.
 *
 * <p>A gap is timed from when the first event after it was stored, when that is earlier than this node first saw it:
 * a gap left long ago (a crash of the embedded database skips a block of indexes) no longer holds every follow back
 * for the gap timeout after each start.
 */
final class GapWatermark {

    /** How often the database is asked again about a gap that still holds follows back. */
    static final Duration RECHECK = Duration.ofMillis(100);

    /** What the database can say about a gap (see {@code EventStoreGaps}); it says nothing where it cannot tell. */
    interface RollbackCheck {
        RollbackCheck NONE = new RollbackCheck() {
            @Override
            public Instant mark() {
                return null;
            }

            @Override
            public boolean rolledBack(long gap, Instant mark) {
                return false;
            }
        };

        /** The database's time now, for a gap first seen now; null where it cannot tell gaps apart (or is away). */
        Instant mark();

        /** Whether every transaction open at the mark has ended and none wrote the gap's event; false when unknown. */
        boolean rolledBack(long gap, Instant mark);
    }

    private final long timeoutNanos;
    private final LongSupplier nanoTime;
    /** How long ago the first event after a global index was stored; zero when unknown. */
    private final LongFunction<Duration> ageOfEventAfter;
    private final RollbackCheck rollbacks;
    /** Each gap still in the token, by global index. */
    private final TreeMap<Long, Gap> seen = new TreeMap<>();

    GapWatermark(Duration gapTimeout, LongSupplier nanoTime, LongFunction<Duration> ageOfEventAfter,
                 RollbackCheck rollbacks) {
        this.timeoutNanos = gapTimeout.toNanos();
        this.nanoTime = nanoTime;
        this.ageOfEventAfter = ageOfEventAfter;
        this.rollbacks = rollbacks;
    }

    /** The watermark of this token: -1 before the first event. */
    synchronized long of(TrackingToken token) {
        if (!(token instanceof GapAwareTrackingToken gapAware)) {
            return token == null ? -1 : token.position().orElse(-1);
        }
        SortedSet<Long> gaps = gapAware.getGaps();
        seen.keySet().retainAll(gaps);
        long now = nanoTime.getAsLong();
        // every gap is timed from when it was first seen, also those behind one that holds the watermark
        gaps.forEach(index -> seen.computeIfAbsent(index, newGap -> new Gap(
                now - nonNegative(ageOfEventAfter.apply(newGap)).toNanos(), rollbacks.mark(), now)));
        for (Long index : gaps) {
            if (!seen.get(index).over(index, now)) {
                return index - 1;
            }
        }
        return gapAware.getIndex();
    }

    /** A gap: since when it is known to be one (in {@code nanoTime}'s time), the database's time then, what it said. */
    private final class Gap {
        private final long since;
        private final Instant mark;
        private long checkedAt;
        private boolean rolledBack;

        Gap(long since, Instant mark, long now) {
            this.since = since;
            this.mark = mark;
            this.checkedAt = now - RECHECK.toNanos();
        }

        /** Whether it can no longer be filled: the database says so, or the gap timeout has passed. */
        boolean over(long index, long now) {
            if (!rolledBack && mark != null && now - checkedAt >= RECHECK.toNanos()) {
                checkedAt = now;
                rolledBack = rollbacks.rolledBack(index, mark);
            }
            return rolledBack || now - since >= timeoutNanos;
        }
    }

    /** A clock behind the command side's makes an event look stored in the future: it is as new as can be. */
    private static Duration nonNegative(Duration age) {
        return age == null || age.isNegative() ? Duration.ZERO : age;
    }
}
