package io.osprey.query.execution;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A file of an execution: an input or output file, or a value too large to stay inline, of the execution's
 * {@code kind} ("inputs", "outputs", "variables") or of a task run's outputs ({@code taskRunId} set). Download it
 * with {@code GET .../executions/{executionId}/file?path={uri}}.
 */
public record ExecutionFileView(String name, String uri, long size, String sha256, String kind,
                                @JsonInclude(JsonInclude.Include.NON_NULL) String taskRunId) {
}
