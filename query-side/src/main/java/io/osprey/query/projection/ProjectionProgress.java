package io.osprey.query.projection;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** How far a projection (a tracking processor, over all its segments) has read the event store. */
public record ProjectionProgress(String processor, List<SegmentPosition> segments) {

    public ProjectionProgress {
        segments = List.copyOf(segments);
    }

    /** The position every segment has reached, -1 when the processor has not started. */
    public long position() {
        return segments.stream().mapToLong(SegmentPosition::position).min().orElse(-1);
    }

    /** Whether the event at this global index is in the read model, whichever segment it belongs to. */
    public boolean covers(long globalIndex) {
        return !segments.isEmpty() && segments.stream().allMatch(segment -> segment.covers(globalIndex));
    }

    /** The gaps below this global index of any segment (see {@link SegmentPosition#gapsBelow}). */
    public Set<Long> gapsBelow(long globalIndex) {
        Set<Long> gaps = new TreeSet<>();
        segments.forEach(segment -> gaps.addAll(segment.gapsBelow(globalIndex)));
        return gaps;
    }
}
