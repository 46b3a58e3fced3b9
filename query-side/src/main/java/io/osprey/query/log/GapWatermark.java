package io.osprey.query.log;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;

import java.time.Duration;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The highest global index up to which the index holds every event that will ever be written: a follow sends lines
 * up to it only, so that an event committed late into a lower index is not passed over. A gap in the index's token
 * is such an event until this node has seen it as a gap for the event store's gap timeout; after that it counts
 * as a rolled-back write. Axon drops a gap from a token only once the token holds 250 of them or it is 10,000 events
 * behind, and command sides racing on one aggregate leave a gap at every lost race: waiting for Axon held every
 * follow back, on every node, for thousands of events.
 *
 * <p>A gap is timed from when the first event after it was stored, when that is earlier than this node first saw it:
 * a gap left long ago (a crash of the embedded database skips a block of indexes) no longer holds every follow back
 * for the gap timeout after each start.
 */
final class GapWatermark {

    private final long timeoutNanos;
    private final LongSupplier nanoTime;
    /** How long ago the first event after a global index was stored; zero when unknown. */
    private final LongFunction<Duration> ageOfEventAfter;
    /** Since when each gap still in the token is known to be one, by global index, in {@code nanoTime}'s time. */
    private final TreeMap<Long, Long> firstSeen = new TreeMap<>();

    GapWatermark(Duration gapTimeout, LongSupplier nanoTime, LongFunction<Duration> ageOfEventAfter) {
        this.timeoutNanos = gapTimeout.toNanos();
        this.nanoTime = nanoTime;
        this.ageOfEventAfter = ageOfEventAfter;
    }

    /** The watermark of this token: -1 before the first event. */
    synchronized long of(TrackingToken token) {
        if (!(token instanceof GapAwareTrackingToken gapAware)) {
            return token == null ? -1 : token.position().orElse(-1);
        }
        SortedSet<Long> gaps = gapAware.getGaps();
        firstSeen.keySet().retainAll(gaps);
        long now = nanoTime.getAsLong();
        gaps.forEach(gap -> firstSeen.computeIfAbsent(gap, newGap -> now - nonNegative(ageOfEventAfter.apply(newGap)).toNanos()));
        for (Long gap : gaps) {
            if (now - firstSeen.get(gap) < timeoutNanos) {
                return gap - 1;
            }
        }
        return gapAware.getIndex();
    }

    /** A clock behind the command side's makes an event look stored in the future: it is as new as can be. */
    private static Duration nonNegative(Duration age) {
        return age == null || age.isNegative() ? Duration.ZERO : age;
    }
}
