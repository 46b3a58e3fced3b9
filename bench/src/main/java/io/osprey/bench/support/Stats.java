package io.osprey.bench.support;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Collection;

/** Small numeric helpers for reports. */
public final class Stats {

    private Stats() {
    }

    /** Median of the values (mean of the two middle ones for an even count); NaN when empty. */
    public static double median(Collection<? extends Number> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    public static double median(double... values) {
        return median(Arrays.stream(values).boxed().toList());
    }

    /** Rounds half-up to the given number of decimals; NaN and infinities pass through. */
    public static double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }

    /** a / b, or NaN when b is zero. */
    public static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }
}
