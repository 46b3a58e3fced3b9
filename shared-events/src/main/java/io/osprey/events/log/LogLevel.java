package io.osprey.events.log;

/** Kestra's log levels, in increasing severity: a {@code minLevel} filter keeps this level and those above. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR;

    private static final LogLevel[] LEVELS = values();

    public static LogLevel ofOrdinal(int ordinal) {
        return LEVELS[ordinal];
    }

    public boolean atLeast(LogLevel minimum) {
        return compareTo(minimum) >= 0;
    }
}
