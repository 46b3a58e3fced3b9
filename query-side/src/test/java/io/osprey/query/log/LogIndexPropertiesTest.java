package io.osprey.query.log;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The log index's durations are checked when bound, each refusal naming its key. */
class LogIndexPropertiesTest {

    @Test
    void zeroIntervalsAreRefused() {
        assertThatThrownBy(() -> properties(Duration.ZERO, null, null))
                .hasMessage("osprey.logs.index.refresh-interval must be more than 0, got PT0S");
        assertThatThrownBy(() -> properties(null, Duration.ZERO, null))
                .hasMessage("osprey.logs.index.commit-interval must be more than 0, got PT0S");
    }

    @Test
    void aDayPartitionWindowThatIsNotWholeDaysIsRefusedRatherThanTruncated() {
        // the index counts the window in days: 12h was taken for 0 and 36h for 1
        assertThatThrownBy(() -> properties(null, null, Duration.ofHours(12)))
                .hasMessage("osprey.logs.index.day-partition-window must be a whole number of days (such as 7d), got PT12H");
        assertThatThrownBy(() -> properties(null, null, Duration.ofHours(36)))
                .hasMessageStartingWith("osprey.logs.index.day-partition-window must be a whole number of days");
    }

    @Test
    void valuesWithinTheRulesAreKept() {
        LogIndexProperties properties = properties(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofHours(48));

        assertThat(properties.refreshInterval()).isEqualTo(Duration.ofMillis(1));
        assertThat(properties.commitInterval()).isEqualTo(Duration.ofMillis(1));
        assertThat(properties.dayPartitionWindow().toDays()).isEqualTo(2);
        assertThat(properties(null, null, Duration.ZERO).dayPartitionWindow()).isEqualTo(Duration.ZERO);
    }

    private static LogIndexProperties properties(Duration refresh, Duration commit, Duration dayPartitionWindow) {
        return new LogIndexProperties(Path.of("index"), refresh, commit, null, null, dayPartitionWindow, null);
    }
}
