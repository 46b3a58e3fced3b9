package io.osprey.query.execution;

import io.osprey.events.execution.State;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One step of a state history: the state entered and when (Kestra's {@code State.History}). The date is kept to the
 * microsecond, as the date columns that filters read are; events recorded before the command side's clock was
 * (EventClock) carry nanoseconds.
 */
public record StateEntry(State state, Instant date) {

    public StateEntry {
        date = date == null ? null : date.truncatedTo(ChronoUnit.MICROS);
    }
}
