package io.osprey.query.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.TriggerReference;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * An execution in Kestra's shape. {@code version} is the sequence number of the last event applied.
 * Search results leave {@code taskRunList} and {@code files} out. An input or output stored as a blob (a file, or
 * a value too large to stay inline) shows as its {@code osprey:///} URI, and {@code files} lists them all.
 */
public record ExecutionView(String id, String namespace, String flowId, int flowRevision, String tenantId,
                            List<Label> labels,
                            @JsonRawValue @Schema(type = "object") String inputs,
                            @JsonRawValue @Schema(type = "object") String outputs,
                            @JsonRawValue @Schema(type = "object") String variables,
                            String parentId, TriggerReference trigger, long version, StateView state,
                            @JsonInclude(JsonInclude.Include.NON_NULL) List<TaskRunView> taskRunList,
                            @JsonInclude(JsonInclude.Include.NON_NULL) List<ExecutionFileView> files) {

    ExecutionView withDetails(List<TaskRunView> taskRuns, List<ExecutionFileView> executionFiles) {
        return new ExecutionView(id, namespace, flowId, flowRevision, tenantId, labels, inputs, outputs, variables,
                parentId, trigger, version, state, taskRuns, executionFiles);
    }
}
