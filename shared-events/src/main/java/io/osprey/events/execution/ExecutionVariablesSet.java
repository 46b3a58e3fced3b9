package io.osprey.events.execution;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/** The execution's variables were replaced by {@code variables}. */
@Revision("1")
public record ExecutionVariablesSet(String tenant, String executionId, Map<String, JsonNode> variables, Instant at) implements ExecutionEvent {
}
