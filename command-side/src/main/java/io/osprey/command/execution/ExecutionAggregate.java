package io.osprey.command.execution;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.osprey.command.dispatch.AggregateLockConfiguration;
import io.osprey.events.EventClock;
import io.osprey.command.execution.ExecutionCommands.ChangeExecutionLabels;
import io.osprey.command.execution.ExecutionCommands.ChangeExecutionState;
import io.osprey.command.execution.ExecutionCommands.ChangeTaskRunState;
import io.osprey.command.execution.ExecutionCommands.CreateExecution;
import io.osprey.command.execution.ExecutionCommands.CreateTaskRun;
import io.osprey.command.execution.ExecutionCommands.KillExecution;
import io.osprey.command.execution.ExecutionCommands.RecordExecutionOutputs;
import io.osprey.command.execution.ExecutionCommands.RecordTaskRunOutputs;
import io.osprey.command.execution.ExecutionCommands.RestartExecution;
import io.osprey.command.execution.ExecutionCommands.SetExecutionVariables;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.ExecutionLabelsChanged;
import io.osprey.events.execution.ExecutionOutputsRecorded;
import io.osprey.events.execution.ExecutionRestarted;
import io.osprey.events.execution.ExecutionStateChanged;
import io.osprey.events.execution.ExecutionVariablesSet;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.RestartedTaskRun;
import io.osprey.events.execution.State;
import io.osprey.events.execution.TaskRunCreated;
import io.osprey.events.execution.TaskRunOutputsRecorded;
import io.osprey.events.execution.TaskRunStateChanged;
import io.osprey.events.validation.InvalidInputException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.osprey.command.dispatch.VersionedCommand.checkVersion;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An execution and its task runs: the state machine that decides which changes happen.
 * It keeps only what its rules need (states, attempts, labels); everything else lives in the events.
 * Command handlers return the aggregate version after the change. Snapshots serialize its fields.
 */
@Aggregate(cache = "executionCache", snapshotTriggerDefinition = "executionSnapshotTrigger",
        lockFactory = AggregateLockConfiguration.BEAN)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ExecutionAggregate {

    @AggregateIdentifier
    private String aggregateId;
    private String tenant;
    private String executionId;
    private State state;
    private List<Label> labels;
    private final Map<String, TaskRunStatus> taskRuns = new LinkedHashMap<>();
    /** When the last event happened (null in a snapshot taken before it was kept). */
    private Instant lastAt;

    /** The rules' view of a task run: its current attempt and that attempt's state. */
    private record TaskRunStatus(int attempt, State state) {
    }

    protected ExecutionAggregate() {
        // for Axon: rebuilt from events
    }

    @CommandHandler
    public ExecutionAggregate(CreateExecution command) {
        apply(new ExecutionCreated(command.tenant(), command.executionId(), command.namespace(), command.flowId(),
                command.flowRevision(), command.labels(), command.inputs(), command.parentExecutionId(),
                command.trigger(), command.files(), command.at()));
    }

    @CommandHandler
    public long handle(ChangeExecutionState command) {
        checkVersion(command.expectedVersion(), version());
        requireTransition("execution", state, command.to());
        apply(new ExecutionStateChanged(tenant, executionId, state, command.to(), at(command.at())));
        return version();
    }

    @CommandHandler
    public long handle(KillExecution command) {
        checkVersion(command.expectedVersion(), version());
        requireTransition("execution", state, State.KILLING);
        apply(new ExecutionStateChanged(tenant, executionId, state, State.KILLING, at(command.at())));
        return version();
    }

    @CommandHandler
    public long handle(RestartExecution command) {
        checkVersion(command.expectedVersion(), version());
        if (!StateTransitions.RESTARTABLE.contains(state)) {
            throw new InvalidTransitionException("execution", state, State.RESTARTED,
                    "only " + StateTransitions.RESTARTABLE + " executions can be restarted");
        }
        List<RestartedTaskRun> restarted = new ArrayList<>();
        taskRuns.forEach((id, run) -> {
            if (StateTransitions.RESTARTABLE.contains(run.state())) {
                restarted.add(new RestartedTaskRun(id, run.state(), run.attempt() + 1));
            }
        });
        apply(new ExecutionRestarted(tenant, executionId, state, restarted, at(command.at())));
        return version();
    }

    @CommandHandler
    public long handle(ChangeExecutionLabels command) {
        checkVersion(command.expectedVersion(), version());
        Map<String, Label> byKey = new LinkedHashMap<>();
        if (!command.replace()) {
            labels.forEach(label -> byKey.put(label.key(), label));
        }
        command.labels().forEach(label -> byKey.put(label.key(), label));
        apply(new ExecutionLabelsChanged(tenant, executionId, List.copyOf(byKey.values()), at(command.at())));
        return version();
    }

    @CommandHandler
    public long handle(SetExecutionVariables command) {
        checkVersion(command.expectedVersion(), version());
        apply(new ExecutionVariablesSet(tenant, executionId, command.variables(), command.files(), at(command.at())));
        return version();
    }

    @CommandHandler
    public long handle(RecordExecutionOutputs command) {
        checkVersion(command.expectedVersion(), version());
        apply(new ExecutionOutputsRecorded(tenant, executionId, command.outputs(), command.files(), at(command.at())));
        return version();
    }

    @CommandHandler
    public long handle(CreateTaskRun command) {
        checkVersion(command.expectedVersion(), version());
        requireNotTerminal();
        if (taskRuns.containsKey(command.taskRunId())) {
            throw new ConflictException("taskRunId", "task-run-exists", "task run " + command.taskRunId() + " already exists");
        }
        if (command.parentTaskRunId() != null && !taskRuns.containsKey(command.parentTaskRunId())) {
            throw new InvalidInputException("parentTaskRunId", "exists",
                    "parent task run " + command.parentTaskRunId() + " does not exist in this execution");
        }
        apply(new TaskRunCreated(tenant, executionId, command.taskRunId(), command.taskId(),
                command.parentTaskRunId(), command.value(), command.iteration(), 1, at(command.at())));
        return version();
    }

    @CommandHandler
    public long handle(ChangeTaskRunState command) {
        checkVersion(command.expectedVersion(), version());
        requireNotTerminal();
        TaskRunStatus run = taskRun(command.taskRunId());
        int attempt = command.attempt() == null ? run.attempt() : command.attempt();
        String subject = "task run " + command.taskRunId();
        if (attempt == run.attempt() + 1) {
            // a retry: only a RETRYING task run may start a new attempt, and only in a starting state
            if (run.state() != State.RETRYING || !StateTransitions.ATTEMPT_START.contains(command.to())) {
                throw new InvalidTransitionException(subject, run.state(), command.to(),
                        "a new attempt starts from RETRYING in one of " + StateTransitions.ATTEMPT_START);
            }
        } else if (attempt == run.attempt()) {
            requireTransition(subject, run.state(), command.to());
        } else {
            throw new ConflictException("attempt", "attempt-mismatch", subject + " is at attempt " + run.attempt()
                    + "; attempt " + attempt + " is neither the current nor the next one");
        }
        apply(new TaskRunStateChanged(tenant, executionId, command.taskRunId(), attempt, run.state(), command.to(),
                at(command.at())));
        return version();
    }

    @CommandHandler
    public long handle(RecordTaskRunOutputs command) {
        checkVersion(command.expectedVersion(), version());
        requireNotTerminal();
        taskRun(command.taskRunId());
        apply(new TaskRunOutputsRecorded(tenant, executionId, command.taskRunId(), command.outputs(), command.files(),
                at(command.at())));
        return version();
    }

    @EventSourcingHandler
    void on(ExecutionCreated event) {
        lastAt = event.at();
        aggregateId = new ExecutionKey(event.tenant(), event.executionId()).aggregateId();
        tenant = event.tenant();
        executionId = event.executionId();
        state = State.CREATED;
        labels = event.labels();
    }

    @EventSourcingHandler
    void on(ExecutionStateChanged event) {
        lastAt = event.at();
        state = event.to();
    }

    @EventSourcingHandler
    void on(ExecutionRestarted event) {
        lastAt = event.at();
        state = State.RESTARTED;
        event.taskRuns().forEach(run -> taskRuns.put(run.taskRunId(), new TaskRunStatus(run.attempt(), State.RESTARTED)));
    }

    @EventSourcingHandler
    void on(ExecutionLabelsChanged event) {
        lastAt = event.at();
        labels = event.labels();
    }

    @EventSourcingHandler
    void on(TaskRunCreated event) {
        lastAt = event.at();
        taskRuns.put(event.taskRunId(), new TaskRunStatus(event.attempt(), State.CREATED));
    }

    @EventSourcingHandler
    void on(TaskRunStateChanged event) {
        lastAt = event.at();
        taskRuns.put(event.taskRunId(), new TaskRunStatus(event.attempt(), event.to()));
    }

    @EventSourcingHandler
    void on(ExecutionVariablesSet event) {
        lastAt = event.at();
    }

    @EventSourcingHandler
    void on(ExecutionOutputsRecorded event) {
        lastAt = event.at();
    }

    @EventSourcingHandler
    void on(TaskRunOutputsRecorded event) {
        lastAt = event.at();
    }

    /** State histories follow the order of the events, however the commands raced for the execution. */
    private Instant at(Instant taken) {
        return EventClock.notBefore(taken, lastAt);
    }

    private TaskRunStatus taskRun(String taskRunId) {
        TaskRunStatus run = taskRuns.get(taskRunId);
        if (run == null) {
            throw new UnknownTaskRunException(executionId, taskRunId);
        }
        return run;
    }

    private void requireNotTerminal() {
        if (state.isTerminal()) {
            throw new ConflictException("executionId", "execution-terminal",
                    "execution " + executionId + " is " + state + "; its task runs can no longer change");
        }
    }

    private static void requireTransition(String subject, State from, State to) {
        if (!StateTransitions.isAllowed(from, to)) {
            throw new InvalidTransitionException(subject, from, to,
                    from.isTerminal() ? from + " is terminal" : "allowed from " + from + ": " + StateTransitions.successorsOf(from));
        }
    }

    private static long version() {
        return AggregateLifecycle.getVersion();
    }
}
