package io.osprey.events.store;

import io.osprey.events.log.LogBatchCodec;
import io.osprey.events.validation.SettingRules;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Tuning of the event store shared by both sides ({@code osprey.event-store.*}).
 *
 * @param fetchDelay   how long a tracking reader waits before polling the store again when it found
 *                     nothing new; bounds the visibility lag across processes
 * @param batchSize    events read per query by trackers and aggregate loads, all held in memory at once
 * @param gapTimeout   how long a gap in the global index is waited for before it is given up as a rollback
 * @param cachedEvents events kept in memory for the tracking processors reading at the head of the store;
 *                     a processor that reads an event's payload keeps it there too, beside its serialized form
 */
@ConfigurationProperties("osprey.event-store")
public record EventStoreProperties(Duration fetchDelay, Integer batchSize, Duration gapTimeout, Integer cachedEvents) {

    /**
     * The largest event Osprey writes, serialized: a log slice of {@link LogBatchCodec#MAX_SLICE_CHARS} characters
     * that deflate cannot shrink, in Base64. Fetches and the cache are counted in events, so their defaults are
     * sized for events this large: fifteen 15 MB log batches held whole in Axon's default cache of 500 events, and
     * read once more by the log indexer, ran a standalone server at {@code -Xmx256m} out of memory.
     */
    static final long LARGEST_EVENT_BYTES = LogBatchCodec.MAX_SLICE_CHARS * 4L / 3 + 4096;
    private static final int MIN_EVENTS = 16;
    private static final int MAX_EVENTS = 500;

    public EventStoreProperties {
        long maxHeap = Runtime.getRuntime().maxMemory();
        fetchDelay = fetchDelay == null ? Duration.ofMillis(10) : fetchDelay;
        batchSize = batchSize == null ? defaultBatchSize(maxHeap) : batchSize;
        gapTimeout = gapTimeout == null ? Duration.ofSeconds(60) : gapTimeout;
        cachedEvents = cachedEvents == null ? defaultCachedEvents(maxHeap) : cachedEvents;
        // passed to Axon in milliseconds: 0 polled the store in a tight loop on idle nodes
        SettingRules.atLeastAMillisecond("osprey.event-store.fetch-delay", fetchDelay);
        SettingRules.atLeast("osprey.event-store.batch-size", 1, batchSize);
        SettingRules.positive("osprey.event-store.gap-timeout", gapTimeout);
        SettingRules.atLeast("osprey.event-store.cached-events", 1, cachedEvents);
    }

    /** As many of the largest events as fit in a sixteenth of the heap, between 16 and 500. */
    static int defaultBatchSize(long maxHeap) {
        return events(maxHeap / 16 / LARGEST_EVENT_BYTES);
    }

    /** As many of the largest events, each held twice (serialized and read), as fit in an eighth of the heap. */
    static int defaultCachedEvents(long maxHeap) {
        return events(maxHeap / 8 / (2 * LARGEST_EVENT_BYTES));
    }

    private static int events(long fit) {
        return (int) Math.max(MIN_EVENTS, Math.min(MAX_EVENTS, fit));
    }
}
