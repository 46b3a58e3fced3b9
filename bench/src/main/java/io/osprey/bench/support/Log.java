package io.osprey.bench.support;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress and diagnostics go to stderr; stdout carries only the JSON result lines. */
public final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Log() {
    }

    public static void info(String format, Object... args) {
        System.err.println("[bench " + LocalTime.now().format(TIME) + "] " + String.format(format, args));
        System.err.flush();
    }
}
