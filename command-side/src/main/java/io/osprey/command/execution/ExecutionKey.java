package io.osprey.command.execution;

/** Where an execution's events live: the aggregate id {@code {tenant}/executions/{executionId}}. */
public record ExecutionKey(String tenant, String executionId) {

    public String aggregateId() {
        return tenant + "/executions/" + executionId;
    }
}
