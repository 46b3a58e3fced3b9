package io.osprey.query.log;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * DOWN while the log indexer fails (a directory it cannot write, no file handles left, the event store away), with the
 * error and since when: lines are then acknowledged but not searchable, which the rest of the node does not show.
 */
class LogIndexHealthIndicator implements HealthIndicator {

    private final LogIndexer indexer;
    private final LogIndex index;

    LogIndexHealthIndicator(LogIndexer indexer, LogIndex index) {
        this.indexer = indexer;
        this.index = index;
    }

    @Override
    public Health health() {
        LogIndexer.Failure failure = indexer.failure();
        Health.Builder health = failure == null ? Health.up()
                : Health.down().withDetail("error", failure.error()).withDetail("failingSince", failure.since().toString());
        return health.withDetail("openPartitions", index.openPartitions()).build();
    }
}
