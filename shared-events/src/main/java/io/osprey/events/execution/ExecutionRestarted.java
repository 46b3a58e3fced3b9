package io.osprey.events.execution;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** A failed execution was restarted: it is RESTARTED and each listed task run has begun a new attempt. */
@Revision("1")
public record ExecutionRestarted(String tenant, String executionId, State from, List<RestartedTaskRun> taskRuns, Instant at) implements ExecutionEvent {
}
