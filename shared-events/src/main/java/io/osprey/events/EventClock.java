package io.osprey.events;

import java.time.Clock;
import java.time.Duration;

/**
 * The clock of the instants events record: UTC to the microsecond, as PostgreSQL and H2 keep timestamps, so that
 * a date a view shows is the date its column holds and a filter on that very date finds it.
 */
public final class EventClock {

    private static final Clock MICROSECONDS = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));

    private EventClock() {
    }

    public static Clock utc() {
        return MICROSECONDS;
    }
}
