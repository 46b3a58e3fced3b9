package io.osprey.events.validation;

import java.time.Duration;

/**
 * Checks of configuration values, made where a properties record binds them, so that a bad value stops the start
 * with a message naming its key, before the application serves anything. Left unchecked, a zero heartbeat sent
 * followers a thousand comments a second and a zero index buffer acknowledged log lines that never became searchable.
 */
public final class SettingRules {

    private SettingRules() {
    }

    public static Duration positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be more than 0, got " + value);
        }
        return value;
    }

    public static Duration notNegative(String key, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative, got " + value);
        }
        return value;
    }

    /** At least one millisecond: for a duration handed on in whole milliseconds, where less would become 0. */
    public static Duration atLeastAMillisecond(String key, Duration value) {
        if (value.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(key + " must be at least 1ms, got " + value);
        }
        return value;
    }

    /** A whole number of days, not negative: for a duration used in days, where a part of a day would be dropped. */
    public static Duration wholeDays(String key, Duration value) {
        notNegative(key, value);
        if (!value.equals(Duration.ofDays(value.toDays()))) {
            throw new IllegalArgumentException(key + " must be a whole number of days (such as 7d), got " + value);
        }
        return value;
    }

    /** A tenant name by the rules a request's tenant follows. */
    public static String tenant(String key, String value) {
        Violations violations = new Violations();
        if (!violations.tenant(key, value)) {
            throw new IllegalArgumentException(violations.first().message() + ", got '" + value + "'");
        }
        return value;
    }

    public static long atLeast(String key, long minimum, long value) {
        if (value < minimum) {
            throw new IllegalArgumentException(key + " must be at least " + minimum + ", got " + value);
        }
        return value;
    }

    public static double positive(String key, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(key + " must be more than 0, got " + value);
        }
        return value;
    }
}
