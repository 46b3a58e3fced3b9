package io.osprey.query.log;

import io.osprey.events.validation.SettingRules;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The log index of this node ({@code osprey.logs.index.*}).
 *
 * @param dir             where the index lives (default {@code ${osprey.data-dir}/logs-index}, see osprey-defaults.yml)
 * @param refreshInterval how soon a committed line becomes searchable (sooner when a query waits for its position)
 * @param commitInterval  how often indexed lines are made durable with their token; a crash replays at most this much
 * @param ramBufferMb     indexing buffer of all day partitions together: past it, the largest flush a segment
 * @param threads         threads adding lines to the index (default: one per processor)
 * @param dayPartitionWindow how far from the middle of its batch a line may lie and still go into its day's
 *                        partition (default 7 days: an event of 1000 lines opens at most 15 day partitions); further lines share their tenant's partition of other days
 * @param openPartitions  partitions kept open at once (default 256): past it, the least recently used are committed and
 *                        closed, to open again when used; each open one holds heap, a file and a memory map per segment
 */
@ConfigurationProperties("osprey.logs.index")
public record LogIndexProperties(Path dir, Duration refreshInterval, Duration commitInterval, Double ramBufferMb,
                                 Integer threads, Duration dayPartitionWindow, Integer openPartitions) {

    public LogIndexProperties {
        dir = dir == null ? Path.of("data", "logs-index") : dir;
        refreshInterval = refreshInterval == null ? Duration.ofSeconds(1) : refreshInterval;
        commitInterval = commitInterval == null ? Duration.ofSeconds(10) : commitInterval;
        ramBufferMb = ramBufferMb == null ? 32.0 : ramBufferMb;
        threads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        dayPartitionWindow = dayPartitionWindow == null ? Duration.ofDays(7) : dayPartitionWindow;
        openPartitions = openPartitions == null ? 256 : openPartitions;
        SettingRules.positive("osprey.logs.index.refresh-interval", refreshInterval);
        SettingRules.positive("osprey.logs.index.commit-interval", commitInterval);
        SettingRules.positive("osprey.logs.index.ram-buffer-mb", ramBufferMb);
        SettingRules.atLeast("osprey.logs.index.threads", 1, threads);
        // the index counts it in days: 12h was taken for 0
        SettingRules.wholeDays("osprey.logs.index.day-partition-window", dayPartitionWindow);
        SettingRules.atLeast("osprey.logs.index.open-partitions", 1, openPartitions);
    }
}
