package io.osprey.command.execution;

import io.osprey.command.dispatch.SnapshotEvery;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How execution aggregates are loaded: from an in-memory cache when this node has them (a stale entry,
 * left by another node's write, fails its append on the event store's unique key, is evicted on
 * rollback and the command is retried), otherwise from the latest snapshot plus the events after it.
 */
@Configuration
public class ExecutionRepositoryConfiguration {

    @Bean
    public Cache executionCache() {
        return new WeakReferenceCache();
    }

    @Bean
    public SnapshotTriggerDefinition executionSnapshotTrigger(Snapshotter snapshotter,
                                                              @Value("${osprey.command.snapshot-every:100}") int threshold) {
        return SnapshotEvery.trigger(snapshotter, threshold);
    }
}
