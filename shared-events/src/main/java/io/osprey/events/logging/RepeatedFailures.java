package io.osprey.events.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Logs a library's failure once a minute while it repeats. With the database away, Axon's event reader and the health
 * checks logged the same stack trace every second or two (2,300 lines a minute on an idle query side), burying what
 * else happened. A failure is the logger, the message and the kind of exception; Osprey's own loggers, which log a
 * dependency's outage in a line per request, are left alone, so that no bug of ours is hidden behind another.
 */
public final class RepeatedFailures extends TurboFilter {

    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final List<String> LIBRARIES = List.of("org.axonframework.", "org.springframework.boot.actuate.",
            "com.zaxxer.hikari.", "org.apache.catalina.", "org.apache.coyote.");
    private static final int MAX_REMEMBERED = 1000;

    private final LongSupplier nanoTime;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    public RepeatedFailures() {
        this(System::nanoTime);
    }

    RepeatedFailures(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (t == null || format == null || !level.isGreaterOrEqual(Level.WARN) || !fromALibrary(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        String failure = logger.getName() + '\n' + format + '\n' + t.getClass().getName();
        long now = nanoTime.getAsLong();
        Long last = lastLogged.get(failure);
        if (last != null && now - last < WINDOW_NANOS) {
            return FilterReply.DENY;
        }
        if (lastLogged.size() >= MAX_REMEMBERED) {
            lastLogged.clear(); // so many kinds of failure are no repetition of one
        }
        lastLogged.put(failure, now);
        return FilterReply.NEUTRAL;
    }

    private static boolean fromALibrary(String loggerName) {
        for (String library : LIBRARIES) {
            if (loggerName.startsWith(library)) {
                return true;
            }
        }
        return false;
    }
}
