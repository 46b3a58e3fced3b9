package io.osprey.query.execution;

import io.osprey.events.execution.State;

import java.time.Instant;

/** One step of a state history: the state entered and when (Kestra's {@code State.History}). */
public record StateEntry(State state, Instant date) {
}
