package io.osprey.events.execution;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An execution of a flow revision was created, in state CREATED. */
@Revision("1")
public record ExecutionCreated(String tenant, String executionId, String namespace, String flowId, int flowRevision,
        List<Label> labels, Map<String, JsonNode> inputs, String parentExecutionId, TriggerReference trigger, Instant at) implements ExecutionEvent {
}
