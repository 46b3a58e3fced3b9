package io.osprey.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

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

    /**
     * The instant of an aggregate's next event: when its command was taken, unless the aggregate's last event is
     * dated later (a command taken before it that then waited for the aggregate or lost the race for it, or another
     * node's clock ahead of this one's), so that an aggregate's events are never dated before the events before them.
     */
    public static Instant notBefore(Instant taken, Instant last) {
        return last != null && last.isAfter(taken) ? last : taken;
    }
}
