package io.osprey.events.validation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class IsoInstantTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T10:15:30Z", "2026-11-26T10:15:30.1Z", "2026-11-26T10:15:30.123Z",
            "2026-11-26T10:15:30.123456789Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2024-02-29T00:00:00Z",
            "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-11-26T10:15:30+02:00",
            "2026-11-26T10:15:30.5-01:30", "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z"})
    void readsInstantsAsInstantParseDoes(String text) {
        assertThat(IsoInstant.parse(text)).isEqualTo(Instant.parse(text));
    }

    @Test
    void readsTheEndOfADayAndALeapSecondAsInstantParseDoes() {
        assertThat(IsoInstant.parse("2026-11-26T24:00:00Z")).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(IsoInstant.parse("2016-12-31T23:59:60Z")).isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
    }

    @Test
    void readsADateTimeWithoutSecondsAsOffsetDateTimeParseDoes() {
        assertThat(IsoInstant.parse("2026-11-26T10:15Z")).isEqualTo(Instant.parse("2026-11-26T10:15:00Z"));
        assertThat(IsoInstant.parse("2026-11-26T10:15+01:00")).isEqualTo(Instant.parse("2026-11-26T09:15:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2026-11-26", "2026-11-26T10:15:30", "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z", "2026-11-26T10:60:00Z", "2026-11-26T10:15:60Z", "2026-11-26T24:00:01Z",
            "2026-11-26T10:15:30.1234567890Z", "2026-11-26 10:15:30Z", "2026-1a-26T10:15:30Z", "2026-11-26T10:15:30.Z",
            "2026-11-26T10:15:30.+01:00", "2026-11-26T10Z"})
    void refusesWhatIsNoInstant(String text) {
        assertThat(IsoInstant.parse(text)).isNull();
    }
}
