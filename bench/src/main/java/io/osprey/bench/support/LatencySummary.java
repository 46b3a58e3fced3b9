package io.osprey.bench.support;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a histogram recorded in microseconds, expressed in milliseconds.
 */
public record LatencySummary(long count, double p50, double p90, double p99, double max) {

    /** Highest value a bench histogram tracks: 10 minutes in microseconds. */
    public static final long HIGHEST_MICROS = 600_000_000L;

    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, 3);
    }

    /** Records a duration in nanoseconds into a microsecond histogram, clamped to its range. */
    public static void recordNanos(Histogram histogram, long nanos) {
        long micros = Math.max(1, nanos / 1_000L);
        histogram.recordValue(Math.min(micros, HIGHEST_MICROS));
    }

    public static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        return new LatencySummary(
                micros.getTotalCount(),
                ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)),
                ms(micros.getMaxValue()));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
