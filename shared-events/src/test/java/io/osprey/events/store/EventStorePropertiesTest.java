package io.osprey.events.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Fetches and the cache are counted in events, so their defaults follow the heap and the largest event. */
class EventStorePropertiesTest {

    private static final long MB = 1024 * 1024;

    @Test
    void theLargestEventIsALogSliceOfIncompressibleTextInBase64() {
        assertThat(EventStoreProperties.LARGEST_EVENT_BYTES).isEqualTo(256 * 1024 * 4 / 3 + 4096);
    }

    @Test
    void aFetchTakesAtMostASixteenthOfTheHeapInTheLargestEvents() {
        assertThat(EventStoreProperties.defaultBatchSize(256 * MB)).isEqualTo(47);
        assertThat(EventStoreProperties.defaultBatchSize(512 * MB)).isEqualTo(94);
        assertThat(47 * EventStoreProperties.LARGEST_EVENT_BYTES).isLessThanOrEqualTo(256 * MB / 16);
    }

    @Test
    void theCacheTakesAtMostAnEighthOfTheHeapInTheLargestEventsHeldTwice() {
        assertThat(EventStoreProperties.defaultCachedEvents(256 * MB)).isEqualTo(47);
        assertThat(EventStoreProperties.defaultCachedEvents(1024 * MB)).isEqualTo(189);
    }

    @Test
    void bothStayBetweenSixteenAndFiveHundred() {
        assertThat(EventStoreProperties.defaultBatchSize(32 * MB)).isEqualTo(16);
        assertThat(EventStoreProperties.defaultCachedEvents(32 * MB)).isEqualTo(16);
        assertThat(EventStoreProperties.defaultBatchSize(16 * 1024 * MB)).isEqualTo(500);
        assertThat(EventStoreProperties.defaultCachedEvents(16 * 1024 * MB)).isEqualTo(500);
    }

    @Test
    void configuredValuesAreKept() {
        EventStoreProperties properties = new EventStoreProperties(Duration.ofMillis(5), 700, null, 3);

        assertThat(properties.batchSize()).isEqualTo(700);
        assertThat(properties.cachedEvents()).isEqualTo(3);
        assertThat(properties.gapTimeout()).isEqualTo(Duration.ofSeconds(60));
    }
}
