package io.osprey.query.execution;

import io.osprey.events.execution.State;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One step of a state history: the state entered and when (Kestra's {@code State.History}). The date is kept to the
 * microsecond, as the date columns that filters read are. Events recorded before the command side's clock was
 * (EventClock) carry nanoseconds, which PostgreSQL's driver and H2 rounded to the nearest microsecond when the
 * columns were written: the view rounds them the same way, so that it shows what the columns hold.
 */
public record StateEntry(State state, Instant date) {

    public StateEntry {
        date = date == null ? null : toMicros(date);
    }

    /** The nearest microsecond, a half rounded up, as the databases stored it. */
    static Instant toMicros(Instant instant) {
        Instant down = instant.truncatedTo(ChronoUnit.MICROS);
        return instant.getNano() % 1_000 >= 500 ? down.plus(1, ChronoUnit.MICROS) : down;
    }
}
