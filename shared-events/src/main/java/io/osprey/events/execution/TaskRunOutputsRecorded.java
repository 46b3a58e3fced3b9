package io.osprey.events.execution;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.Map;

/** A task run's outputs were replaced by {@code outputs}. */
@Revision("1")
public record TaskRunOutputsRecorded(String tenant, String executionId, String taskRunId, Map<String, JsonNode> outputs, Instant at) implements ExecutionEvent {
}
