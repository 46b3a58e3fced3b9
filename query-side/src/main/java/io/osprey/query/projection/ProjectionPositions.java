package io.osprey.query.projection;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

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

    private final JdbcTemplate jdbc;
    private final Serializer tokenSerializer;
    private final ProjectionCommits commits;
    private final long pollNanos;
    private final Map<String, LocalProjection> local = new TreeMap<>();
    private final Map<String, RecentProgress> recent = new ConcurrentHashMap<>();

    public ProjectionPositions(JdbcTemplate jdbc, Serializer tokenSerializer, ProjectionCommits commits,
                               QueryProperties properties, List<LocalProjection> localProjections) {
        this.jdbc = jdbc;
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

    /**
     * Waits until the processor covers the global index, or the timeout passes; returns the progress last
     * seen, which the caller checks with {@link ProjectionProgress#covers}. Reads again after each batch
     * committed in this process and at least every poll interval (for batches committed by other nodes).
     */
    public ProjectionProgress awaitPosition(String processor, long globalIndex, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seenCommits = commits.count();
            ProjectionProgress progress = progress(processor);
            long remaining = deadline - System.nanoTime();
            if (progress.covers(globalIndex) || remaining <= 0) {
                return progress;
            }
            LocalProjection projection = local.get(processor);
            if (projection != null) {
                projection.hurry();
            }
            try {
                commits.awaitNext(seenCommits, Math.min(remaining, pollNanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return progress;
            }
        }
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
