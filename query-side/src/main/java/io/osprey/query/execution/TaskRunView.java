package io.osprey.query.execution;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** A task run of an execution, in Kestra's shape. */
public record TaskRunView(String id, String executionId, String namespace, String flowId, String taskId,
                          String parentTaskRunId, String value, Integer iteration,
                          @JsonRawValue @Schema(type = "object") String outputs,
                          List<AttemptView> attempts, StateView state) {
}
