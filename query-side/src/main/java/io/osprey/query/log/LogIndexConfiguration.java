package io.osprey.query.log;

import io.osprey.events.store.EventStoreGaps;
import io.osprey.events.store.EventStorePositions;
import io.osprey.events.store.EventStoreProperties;
import io.osprey.query.execution.ExecutionQueries;
import io.osprey.query.projection.ProjectionCommits;
import io.osprey.query.projection.ProjectionPositions;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/** The log index of this node, the processor that builds it, and what reads it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({LogIndexProperties.class, LogQueryProperties.class})
class LogIndexConfiguration {

    @Bean
    LogIndex logIndex(LogIndexProperties properties, Serializer serializer) {
        return new LogIndex(properties.dir(), new LogCheckpoint.TokenCodec(serializer), properties.ramBufferMb(),
                properties.threads(), properties.dayPartitionWindow().toDays(), properties.openPartitions());
    }

    @Bean
    LogIndexer logIndexer(EventStore eventStore, LogIndex index, LogIndexProperties properties, ProjectionCommits commits,
                          EventStorePositions positions, EventStoreGaps gaps, EventStoreProperties eventStoreProperties,
                          EventStorageEngine storage) {
        return new LogIndexer(eventStore, index, properties, commits, positions::head, openWrites(gaps),
                after -> storage.readEvents(after, false), eventStoreProperties.gapTimeout());
    }

    /** A database that is away fails the indexer's round, which then resumes from its last commit. */
    private static LogIndexer.OpenWrites openWrites(EventStoreGaps gaps) {
        return new LogIndexer.OpenWrites() {
            @Override
            public Instant now() {
                return gaps.now().orElse(null);
            }

            @Override
            public boolean openSince(Instant mark) {
                return gaps.writesOpenSince(mark);
            }
        };
    }

    @Bean
    LogIndexHealthIndicator logIndexHealthIndicator(LogIndexer indexer, LogIndex index) {
        return new LogIndexHealthIndicator(indexer, index);
    }

    @Bean
    LogSearches logSearches(LogIndex index, EventStoreProperties eventStore, EventStorePositions positions,
                            EventStoreGaps gaps) {
        return new LogSearches(index, new GapWatermark(eventStore.gapTimeout(), System::nanoTime,
                gap -> ageOfEventAfter(positions, gap), rollbackCheck(gaps)));
    }

    /** Says nothing while the store is away: the gap then waits, at most for the gap timeout. */
    private static GapWatermark.RollbackCheck rollbackCheck(EventStoreGaps gaps) {
        return new GapWatermark.RollbackCheck() {
            @Override
            public Instant mark() {
                try {
                    return gaps.now().orElse(null);
                } catch (DataAccessException e) {
                    return null;
                }
            }

            @Override
            public Set<Long> rolledBack(Map<Long, Instant> marks) {
                try {
                    return gaps.rolledBack(marks);
                } catch (DataAccessException e) {
                    return Set.of();
                }
            }
        };
    }

    /** Zero when the store cannot say (it is away): the gap is then timed from now, as any new one. */
    private static Duration ageOfEventAfter(EventStorePositions positions, long gap) {
        try {
            return positions.storedAfter(gap).map(stored -> Duration.between(stored, Instant.now())).orElse(Duration.ZERO);
        } catch (DataAccessException | DateTimeParseException e) {
            return Duration.ZERO;
        }
    }

    @Bean
    LogFollowers logFollowers(LogSearches searches, ExecutionQueries executions, ProjectionPositions positions,
                              ProjectionCommits commits, LogQueryProperties properties) {
        return new LogFollowers(searches, executions, positions, commits, properties.followHeartbeat(),
                properties.followSenders());
    }
}
