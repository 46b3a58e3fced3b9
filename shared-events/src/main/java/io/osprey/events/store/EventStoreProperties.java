package io.osprey.events.store;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Tuning of the event store shared by both sides ({@code osprey.event-store.*}).
 *
 * @param fetchDelay   how long a tracking reader waits before polling the store again when it found
 *                     nothing new; bounds the visibility lag across processes
 * @param batchSize    events read per query by trackers and aggregate loads
 * @param gapTimeout   how long a gap in the global index is waited for before it is given up as a rollback
 * @param cachedEvents events kept in memory, serialized, for the tracking processors reading at the head of
 *                     the store; a log batch event weighs tens of kilobytes, so the cache must stay small
 *                     (Axon's default of 10,000 held 600 MB of log events when a query side fell behind)
 */
@ConfigurationProperties("osprey.event-store")
public record EventStoreProperties(Duration fetchDelay, Integer batchSize, Duration gapTimeout, Integer cachedEvents) {

    public EventStoreProperties {
        fetchDelay = fetchDelay == null ? Duration.ofMillis(10) : fetchDelay;
        batchSize = batchSize == null ? 500 : batchSize;
        gapTimeout = gapTimeout == null ? Duration.ofSeconds(60) : gapTimeout;
        cachedEvents = cachedEvents == null ? 500 : cachedEvents;
    }
}
