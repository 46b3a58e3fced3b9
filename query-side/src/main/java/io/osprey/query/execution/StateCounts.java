package io.osprey.query.execution;

import io.osprey.events.execution.State;

import java.util.Map;

/** How many matching executions are in each current state (states with none are left out), and in all. */
public record StateCounts(Map<State, Long> counts, long total) {
}
