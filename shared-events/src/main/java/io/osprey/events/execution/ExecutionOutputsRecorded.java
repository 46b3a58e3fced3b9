package io.osprey.events.execution;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/** The execution's (flow) outputs were replaced by {@code outputs}. */
@Revision("1")
public record ExecutionOutputsRecorded(String tenant, String executionId, Map<String, JsonNode> outputs, Instant at) implements ExecutionEvent {
}
