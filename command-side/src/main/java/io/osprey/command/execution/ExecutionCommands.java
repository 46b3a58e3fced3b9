package io.osprey.command.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.command.dispatch.VersionedCommand;
import io.osprey.events.execution.FileReference;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.State;
import io.osprey.events.execution.TriggerReference;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The commands an execution aggregate handles. Each carries the instant the server received it. */
public final class ExecutionCommands {

    private ExecutionCommands() {
    }

    public record CreateExecution(@TargetAggregateIdentifier String aggregateId, String tenant, String executionId,
                                  String namespace, String flowId, int flowRevision, List<Label> labels,
                                  Map<String, JsonNode> inputs, String parentExecutionId, TriggerReference trigger,
                                  List<FileReference> files, Instant at) implements VersionedCommand {
        @Override
        public Long expectedVersion() {
            return null;
        }
    }

    public record ChangeExecutionState(@TargetAggregateIdentifier String aggregateId, Long expectedVersion, State to,
                                       Instant at) implements VersionedCommand {
    }

    public record KillExecution(@TargetAggregateIdentifier String aggregateId, Long expectedVersion, Instant at)
            implements VersionedCommand {
    }

    public record RestartExecution(@TargetAggregateIdentifier String aggregateId, Long expectedVersion, Instant at)
            implements VersionedCommand {
    }

    /** {@code replace} true replaces all labels; false adds them, overwriting labels with the same key. */
    public record ChangeExecutionLabels(@TargetAggregateIdentifier String aggregateId, Long expectedVersion,
                                        List<Label> labels, boolean replace, Instant at) implements VersionedCommand {
    }

    public record SetExecutionVariables(@TargetAggregateIdentifier String aggregateId, Long expectedVersion,
                                        Map<String, JsonNode> variables, List<FileReference> files, Instant at)
            implements VersionedCommand {
    }

    public record RecordExecutionOutputs(@TargetAggregateIdentifier String aggregateId, Long expectedVersion,
                                         Map<String, JsonNode> outputs, List<FileReference> files, Instant at)
            implements VersionedCommand {
    }

    public record CreateTaskRun(@TargetAggregateIdentifier String aggregateId, Long expectedVersion, String taskRunId,
                                String taskId, String parentTaskRunId, String value, Integer iteration, Instant at)
            implements VersionedCommand {
    }

    /** {@code attempt} null means the current attempt; current + 1 starts a new attempt. */
    public record ChangeTaskRunState(@TargetAggregateIdentifier String aggregateId, Long expectedVersion,
                                     String taskRunId, Integer attempt, State to, Instant at) implements VersionedCommand {
    }

    public record RecordTaskRunOutputs(@TargetAggregateIdentifier String aggregateId, Long expectedVersion,
                                       String taskRunId, Map<String, JsonNode> outputs, List<FileReference> files,
                                       Instant at)
            implements VersionedCommand {
    }
}
