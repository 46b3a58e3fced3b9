package io.osprey.query.projection;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;

import java.util.Set;

/** How far one segment of a tracking processor has read the event store, from its stored token. */
public final class SegmentPosition {

    private final int segment;
    /** The position actually processed (a replay's progress, not where it will end); null before any event. */
    private final TrackingToken processed;

    private SegmentPosition(int segment, TrackingToken processed) {
        this.segment = segment;
        this.processed = processed;
    }

    public static SegmentPosition of(int segment, TrackingToken storedToken) {
        return new SegmentPosition(segment, WrappedToken.unwrapLowerBound(storedToken));
    }

    public int segment() {
        return segment;
    }

    /** The highest global index read so far, -1 before the first event. */
    public long position() {
        return processed == null ? -1 : processed.position().orElse(-1);
    }

    /**
     * Whether the event at this global index has been read. Axon's own {@code covers} would also demand that
     * no lower index is still a gap; a rolled-back transaction leaves such a gap for a long time, and it
     * says nothing about the event asked for.
     */
    public boolean covers(long globalIndex) {
        if (processed instanceof GapAwareTrackingToken token) {
            return token.getIndex() >= globalIndex && !token.getGaps().contains(globalIndex);
        }
        return position() >= globalIndex;
    }

    /** The gaps below this global index: indexes passed over that a write still open may yet fill, or none ever will. */
    public Set<Long> gapsBelow(long globalIndex) {
        if (processed instanceof GapAwareTrackingToken token) {
            return token.getGaps().headSet(globalIndex);
        }
        return Set.of();
    }
}
