package io.osprey.query.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.TriggerReference;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * An execution in Kestra's shape. {@code version} is the sequence number of the last event applied.
 * Search results leave {@code taskRunList} out.
 */
public record ExecutionView(String id, String namespace, String flowId, int flowRevision, String tenantId,
                            List<Label> labels,
                            @JsonRawValue @Schema(type = "object") String inputs,
                            @JsonRawValue @Schema(type = "object") String outputs,
                            @JsonRawValue @Schema(type = "object") String variables,
                            String parentId, TriggerReference trigger, long version, StateView state,
                            @JsonInclude(JsonInclude.Include.NON_NULL) List<TaskRunView> taskRunList) {

    ExecutionView withTaskRuns(List<TaskRunView> taskRuns) {
        return new ExecutionView(id, namespace, flowId, flowRevision, tenantId, labels, inputs, outputs, variables,
                parentId, trigger, version, state, taskRuns);
    }
}
