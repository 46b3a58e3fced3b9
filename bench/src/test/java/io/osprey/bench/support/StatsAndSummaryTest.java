package io.osprey.bench.support;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StatsAndSummaryTest {

    @Test
    void percentilesOfMicrosecondHistogramInMilliseconds() {
        Histogram h = LatencySummary.newHistogram();
        for (int ms = 1; ms <= 1000; ms++) {
            LatencySummary.recordNanos(h, ms * 1_000_000L);
        }
        LatencySummary s = LatencySummary.of(h);
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.p50()).isCloseTo(500, within(1.0));
        assertThat(s.p90()).isCloseTo(900, within(1.0));
        assertThat(s.p99()).isCloseTo(990, within(1.0));
        assertThat(s.max()).isCloseTo(1000, within(1.0));
    }

    @Test
    void keepsMicrosecondPrecisionAndClampsOutOfRange() {
        Histogram h = LatencySummary.newHistogram();
        LatencySummary.recordNanos(h, 1_234_000L); // 1.234 ms
        assertThat(LatencySummary.of(h).p50()).isCloseTo(1.234, within(0.002));
        LatencySummary.recordNanos(h, 0);
        LatencySummary.recordNanos(h, Long.MAX_VALUE / 2);
        assertThat(h.getTotalCount()).isEqualTo(3);
    }

    @Test
    void emptyHistogramGivesZeros() {
        assertThat(LatencySummary.of(LatencySummary.newHistogram()))
                .isEqualTo(new LatencySummary(0, 0, 0, 0, 0));
    }

    @Test
    void medianAndRounding() {
        assertThat(Stats.median(List.of(3, 1, 2))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.<Double>of())).isNaN();
        assertThat(Stats.round(0.1 + 0.2, 3)).isEqualTo(0.3);
        assertThat(Stats.round(2.0005, 3)).isEqualTo(2.001);
        assertThat(Stats.ratio(1, 0)).isNaN();
        assertThat(Stats.ratio(1, 4)).isEqualTo(0.25);
    }

    @Test
    void derivesBenchDatabaseUrl() {
        assertThat(BenchDatabase.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres", "osprey_bench_ab"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/osprey_bench_ab");
        assertThat(BenchDatabase.withDatabase("jdbc:postgresql://db:5433/x?sslmode=disable", "y"))
                .isEqualTo("jdbc:postgresql://db:5433/y?sslmode=disable");
        assertThat(BenchDatabase.withDatabase("jdbc:postgresql://db", "y")).isEqualTo("jdbc:postgresql://db/y");
    }
}
