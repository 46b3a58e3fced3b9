package io.osprey.events.execution;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A task run's attempt moved from one state to another; a higher attempt number starts a new attempt. */
@Revision("1")
public record TaskRunStateChanged(String tenant, String executionId, String taskRunId, int attempt, State from, State to, Instant at) implements ExecutionEvent {
}
