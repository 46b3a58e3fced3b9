package io.osprey.events.execution;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A task run was created in state CREATED, with its first attempt. */
@Revision("1")
public record TaskRunCreated(String tenant, String executionId, String taskRunId, String taskId, String parentTaskRunId,
        String value, Integer iteration, int attempt, Instant at) implements ExecutionEvent {
}
