package io.osprey.query.execution;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A file of an execution: an input file, an output file of a task run ({@code taskRunId} set), or a value too
 * large to stay inline. Download it with {@code GET .../executions/{executionId}/file?path={uri}}.
 */
public record ExecutionFileView(String name, String uri, long size, String sha256,
                                @JsonInclude(JsonInclude.Include.NON_NULL) String taskRunId) {
}
