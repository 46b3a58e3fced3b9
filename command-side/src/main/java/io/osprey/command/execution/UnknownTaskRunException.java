package io.osprey.command.execution;

import io.osprey.command.dispatch.AggregateRefusal;

/** A command named a task run this execution does not have. Maps to 404. */
public class UnknownTaskRunException extends RuntimeException implements AggregateRefusal {

    public UnknownTaskRunException(String executionId, String taskRunId) {
        super("execution " + executionId + " has no task run " + taskRunId);
    }
}
