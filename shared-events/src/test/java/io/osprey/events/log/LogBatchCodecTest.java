package io.osprey.events.log;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogBatchCodecTest {

    /** Nulls, non-ASCII text, an empty message, time going backwards, the epoch. */
    private static final List<LogLine> EDGE_CASES = List.of(
            new LogLine("company.team", "etl", "exec1", "extract", "tr1", 0, null, LogLevel.INFO,
                    Instant.parse("2026-11-26T10:00:00.123456789Z"), "worker-1", "started row_count=1234"),
            new LogLine("company.team", "etl", "exec1", "extract", "tr1", 3, null, LogLevel.ERROR,
                    Instant.parse("2026-11-26T09:59:59Z"), "worker-1", "java.lang.NullPointerException: ☃ é"),
            new LogLine("company.team", "etl", null, null, null, 0, "schedule", LogLevel.TRACE,
                    Instant.parse("1970-01-01T00:00:00Z"), null, ""));

    @Test
    void roundTripsEveryFieldIncludingNullsUnicodeAndTimeGoingBackwards() {
        assertThat(LogBatchCodec.decode(LogBatchCodec.encode(EDGE_CASES))).isEqualTo(EDGE_CASES);
    }

    @Test
    void readsBatchesStoredByEarlierBuildsAndWritesTheSameBytes() {
        // written by the first implementation of this encoding: events in the store must stay readable as they are
        String stored = "AAAAomNkZuRJzs8tSMyr1CtJTcxlZE4tyWFkTa1ITTZkZE+tKClKTC5hZC4pMmRgYDrQc2AD79RZ760YOcrzi7JTi3QNxYpLEotK"
                + "UlMUivLL45PzS/NKbA2NjE2YmFlY2ZgZWBgZ2NWyEssS9XIS89L1/EpzcgLyM/NKUotcK5JTC0oy8/OsFB7NaFY4vJKJmQEIGDmKkzNSU0pzUhn2"
                + "giwDCgEA";
        assertThat(LogBatchCodec.decode(stored)).isEqualTo(EDGE_CASES);
        assertThat(LogBatchCodec.encode(EDGE_CASES)).isEqualTo(stored);
    }

    @Test
    void aThousandTypicalLinesEncodeToFarFewerBytesThanTheirText() {
        List<LogLine> lines = new ArrayList<>();
        long rawBytes = 0;
        for (int i = 0; i < 1000; i++) {
            LogLine line = new LogLine("company.team.data", "nightly-etl", "6Xh1pQ8s0lWq" + (i / 100), "load",
                    "3aZ7" + (i / 10), 0, null, LogLevel.INFO, Instant.parse("2026-11-26T10:00:00Z").plusMillis(i * 7L),
                    "worker-3", "Fetched page " + i + " of s3://bucket/exports/2026-11-26/part-" + i + ".csv in " + (i % 97) + " ms");
            lines.add(line);
            rawBytes += line.toString().getBytes(StandardCharsets.UTF_8).length;
        }

        String encoded = LogBatchCodec.encode(lines);

        assertThat(LogBatchCodec.decode(encoded)).isEqualTo(lines);
        assertThat((long) encoded.length()).isLessThan(rawBytes / 5);
    }

    @Test
    void refusesWhatItDidNotWrite() {
        assertThatThrownBy(() -> LogBatchCodec.decode("AAAAAQE="))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
