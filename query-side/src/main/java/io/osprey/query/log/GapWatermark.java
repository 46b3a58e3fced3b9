package io.osprey.query.log;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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

    /** What the database can say about gaps (see {@code EventStoreGaps}); it says nothing where it cannot tell. */
    interface RollbackCheck {
        RollbackCheck NONE = new RollbackCheck() {
            @Override
            public Instant mark() {
                return null;
            }

            @Override
            public Set<Long> rolledBack(Map<Long, Instant> marks) {
                return Set.of();
            }
        };

        /** The database's time now, for the gaps first seen now; null where it cannot tell gaps apart (or is away). */
        Instant mark();

        /** Of these gaps, by their marks, those whose write has ended without an event; none when unknown. */
        Set<Long> rolledBack(Map<Long, Instant> marks);
    }

    private final long timeoutNanos;
    private final LongSupplier nanoTime;
    /** How long ago the first event after a global index was stored; zero when unknown. */
    private final LongFunction<Duration> ageOfEventAfter;
    private final RollbackCheck rollbacks;
    /** Each gap still in the token, by global index. */
    private final TreeMap<Long, Gap> seen = new TreeMap<>();
    private long checkedAt;

    GapWatermark(Duration gapTimeout, LongSupplier nanoTime, LongFunction<Duration> ageOfEventAfter,
                 RollbackCheck rollbacks) {
        this.timeoutNanos = gapTimeout.toNanos();
        this.nanoTime = nanoTime;
        this.ageOfEventAfter = ageOfEventAfter;
        this.rollbacks = rollbacks;
        this.checkedAt = nanoTime.getAsLong() - RECHECK.toNanos();
    }

    /** The watermark of this token: -1 before the first event. */
    synchronized long of(TrackingToken token) {
        if (!(token instanceof GapAwareTrackingToken gapAware)) {
            return token == null ? -1 : token.position().orElse(-1);
        }
        SortedSet<Long> gaps = gapAware.getGaps();
        seen.keySet().retainAll(gaps);
        long now = nanoTime.getAsLong();
        // every gap is timed from when it was first seen, also those behind one that holds the watermark; the
        // database's time is asked once for all those first seen now
        Instant mark = null;
        boolean marked = false;
        for (Long index : gaps) {
            if (!seen.containsKey(index)) {
                if (!marked) {
                    mark = rollbacks.mark();
                    marked = true;
                }
                seen.put(index, new Gap(now - nonNegative(ageOfEventAfter.apply(index)).toNanos(), mark));
            }
        }
        askAboutPendingGaps(now);
        for (Long index : gaps) {
            Gap gap = seen.get(index);
            if (!gap.rolledBack && now - gap.since < timeoutNanos) {
                return index - 1;
            }
        }
        return gapAware.getIndex();
    }

    /** At most every {@link #RECHECK}, one question for every gap that may still hold the watermark back. */
    private void askAboutPendingGaps(long now) {
        if (now - checkedAt < RECHECK.toNanos()) {
            return;
        }
        Map<Long, Instant> pending = new HashMap<>();
        seen.forEach((index, gap) -> {
            if (!gap.rolledBack && gap.mark != null && now - gap.since < timeoutNanos) {
                pending.put(index, gap.mark);
            }
        });
        if (!pending.isEmpty()) {
            checkedAt = now;
            rollbacks.rolledBack(pending).forEach(index -> seen.get(index).rolledBack = true);
        }
    }

    /** A gap: since when it is known to be one (in {@code nanoTime}'s time), the database's time then, what it said. */
    private static final class Gap {
        private final long since;
        private final Instant mark;
        private boolean rolledBack;

        Gap(long since, Instant mark) {
            this.since = since;
            this.mark = mark;
        }
    }

    /** A clock behind the command side's makes an event look stored in the future: it is as new as can be. */
    private static Duration nonNegative(Duration age) {
        return age == null || age.isNegative() ? Duration.ZERO : age;
    }
}
