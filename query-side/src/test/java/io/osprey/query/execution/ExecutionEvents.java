package io.osprey.query.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.events.EventSerialization;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.ExecutionStateChanged;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.State;
import io.osprey.events.execution.TaskRunCreated;
import io.osprey.events.execution.TaskRunStateChanged;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Short constructors for the execution events tests append. */
final class ExecutionEvents {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private ExecutionEvents() {
    }

    static ExecutionCreated created(String tenant, String id, String namespace, String flowId, Instant at, Label... labels) {
        return new ExecutionCreated(tenant, id, namespace, flowId, 1, List.of(labels), Map.of(), null, null, at);
    }

    static ExecutionStateChanged state(String tenant, String id, State from, State to, Instant at) {
        return new ExecutionStateChanged(tenant, id, from, to, at);
    }

    static TaskRunCreated taskRun(String tenant, String id, String taskRunId, String taskId, Instant at) {
        return new TaskRunCreated(tenant, id, taskRunId, taskId, null, null, null, 1, at);
    }

    static TaskRunStateChanged taskRunState(String tenant, String id, String taskRunId, int attempt, State from, State to, Instant at) {
        return new TaskRunStateChanged(tenant, id, taskRunId, attempt, from, to, at);
    }

    static Map<String, JsonNode> values(String key, Object value) {
        return Map.of(key, EventSerialization.objectMapper().valueToTree(value));
    }
}
