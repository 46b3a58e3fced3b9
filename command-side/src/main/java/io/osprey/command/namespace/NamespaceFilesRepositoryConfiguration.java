package io.osprey.command.namespace;

import io.osprey.command.dispatch.SnapshotEvery;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How a namespace's file tree is loaded: every write reads the whole tree, so it is kept in memory while
 * used (a stale entry fails its append on the event store's unique key, is evicted and the command
 * retried) and snapshotted, so that a long-lived namespace never replays its whole history.
 */
@Configuration
public class NamespaceFilesRepositoryConfiguration {

    @Bean
    public Cache namespaceFilesCache() {
        return new WeakReferenceCache();
    }

    @Bean
    public SnapshotTriggerDefinition namespaceFilesSnapshotTrigger(Snapshotter snapshotter,
                                                                   @Value("${osprey.command.snapshot-every:100}") int threshold) {
        return SnapshotEvery.trigger(snapshotter, threshold);
    }
}
