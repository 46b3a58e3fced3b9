package io.osprey.query.projection;

import io.osprey.events.store.EventStoreGaps;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Where the projections stand, read from Axon's token store table (read-only), so that every query-side
 * node sees the same answer whichever node holds the segments.
 */
@Component
public class ProjectionPositions {

    private static final String TOKENS_OF_PROCESSOR =
            "SELECT segment, token, token_type FROM token_entry WHERE processor_name = ? ORDER BY segment";
    private static final String ALL_TOKENS =
            "SELECT processor_name, segment, token, token_type FROM token_entry ORDER BY processor_name, segment";
    private static final int MAX_CLOSED_GAPS = 10_000;

    private final JdbcTemplate jdbc;
    private final Serializer tokenSerializer;
    private final ProjectionCommits commits;
    private final long pollNanos;
    private final Map<String, LocalProjection> local = new TreeMap<>();
    private final Map<String, RecentProgress> recent = new ConcurrentHashMap<>();
    private final EventStoreGaps gaps;
    /** Gaps the database said no write will fill, so that a wait asks about each once. */
    private final Set<Long> closedGaps = ConcurrentHashMap.newKeySet();

    public ProjectionPositions(JdbcTemplate jdbc, Serializer tokenSerializer, ProjectionCommits commits,
                               QueryProperties properties, List<LocalProjection> localProjections, EventStoreGaps gaps) {
        this.jdbc = jdbc;
        this.gaps = gaps;
        this.tokenSerializer = tokenSerializer;
        this.commits = commits;
        this.pollNanos = properties.consistencyPollInterval().toNanos();
        localProjections.forEach(projection -> local.put(projection.name(), projection));
    }

    public ProjectionProgress progress(String processor) {
        LocalProjection projection = local.get(processor);
        if (projection != null) {
            return projection.progress();
        }
        return new ProjectionProgress(processor, jdbc.query(TOKENS_OF_PROCESSOR, (row, i) -> segmentOf(row), processor));
    }

    /**
     * The progress a reply reports when its caller asked for no position: read from the token table again once a
     * batch has committed in this process, otherwise at most once per poll interval (for batches of other nodes).
     * An older reading is still a position the read model has reached (but for the moment after a token reset, for
     * a replay), so reads that do not wait need not pay a query each.
     */
    public ProjectionProgress recentProgress(String processor) {
        if (local.containsKey(processor)) {
            return progress(processor); // in memory already
        }
        long seenCommits = commits.count();
        long now = System.nanoTime();
        RecentProgress last = recent.get(processor);
        if (last != null && last.commits() == seenCommits && now - last.readAt() < pollNanos) {
            return last.progress();
        }
        ProjectionProgress progress = progress(processor);
        recent.put(processor, new RecentProgress(progress, seenCommits, now));
        return progress;
    }

    /** Every processor that has claimed a token, then this node's local projections, each in name order. */
    public List<ProjectionProgress> all() {
        Map<String, List<SegmentPosition>> segments = new LinkedHashMap<>();
        jdbc.query(ALL_TOKENS, row -> {
            segments.computeIfAbsent(row.getString("processor_name"), name -> new ArrayList<>()).add(segmentOf(row));
        });
        List<ProjectionProgress> all = new ArrayList<>(segments.entrySet().stream()
                .map(entry -> new ProjectionProgress(entry.getKey(), entry.getValue())).toList());
        local.values().forEach(projection -> all.add(projection.progress()));
        return all;
    }

    /** How a wait for a position ended: the progress last read, and whether the position was reached. */
    public record Awaited(ProjectionProgress progress, boolean reached) {
    }

    /**
     * Waits until the read model holds every event up to the global index, or the timeout passes. The event at the
     * index must have been read, and no gap below it may still be filled: a write that took a lower index may commit
     * after the one at the index (a slow transaction, another command side), and a client that asks for the position
     * of its latest write must see its earlier ones too. The database tells which gaps no open write can fill any more
     * ({@link EventStoreGaps}, on PostgreSQL); where it cannot tell (H2), gaps below the index are not waited for.
     * Reads again after each batch committed in this process and at least every poll interval (for batches committed
     * by other nodes).
     */
    public Awaited awaitPosition(String processor, long globalIndex, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // the database's time when this wait first met a gap below the index: the write that took a lower index took
        // it before the one at the index, which the caller saw acknowledged, so it began before this
        Instant waitBegan = null;
        while (true) {
            long seenCommits = commits.count();
            ProjectionProgress progress = progress(processor);
            if (progress.covers(globalIndex)) {
                Set<Long> open = progress.gapsBelow(globalIndex);
                open.removeAll(closedGaps);
                if (open.isEmpty()) {
                    return new Awaited(progress, true);
                }
                if (waitBegan == null) {
                    Optional<Instant> now = gaps.now();
                    if (now.isEmpty()) {
                        return new Awaited(progress, true);
                    }
                    waitBegan = now.get();
                }
                Instant since = waitBegan;
                Set<Long> closed = gaps.rolledBack(open.stream().collect(Collectors.toMap(gap -> gap, gap -> since)));
                remember(closed);
                if (closed.containsAll(open)) {
                    return new Awaited(progress, true);
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new Awaited(progress, false);
            }
            LocalProjection projection = local.get(processor);
            if (projection != null) {
                projection.hurry();
            }
            try {
                commits.awaitNext(seenCommits, Math.min(remaining, pollNanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Awaited(progress, false);
            }
        }
    }

    /** An index a write passed over without an event never gets one (an identity gives no value twice). */
    private void remember(Set<Long> rolledBack) {
        if (closedGaps.size() + rolledBack.size() > MAX_CLOSED_GAPS) {
            closedGaps.clear(); // only spares questions; Axon drops old gaps from its tokens in time
        }
        closedGaps.addAll(rolledBack);
    }

    private SegmentPosition segmentOf(ResultSet row) throws SQLException {
        byte[] token = row.getBytes("token");
        String tokenType = row.getString("token_type");
        TrackingToken stored = token == null || tokenType == null ? null
                : tokenSerializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, tokenType, null));
        return SegmentPosition.of(row.getInt("segment"), stored);
    }

    private record RecentProgress(ProjectionProgress progress, long commits, long readAt) {
    }
}
