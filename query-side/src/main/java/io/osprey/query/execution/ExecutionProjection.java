package io.osprey.query.execution;

import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.ExecutionEvent;
import io.osprey.events.execution.ExecutionLabelsChanged;
import io.osprey.events.execution.ExecutionOutputsRecorded;
import io.osprey.events.execution.ExecutionRestarted;
import io.osprey.events.execution.ExecutionStateChanged;
import io.osprey.events.execution.ExecutionVariablesSet;
import io.osprey.events.execution.FileReference;
import io.osprey.events.execution.State;
import io.osprey.events.execution.TaskRunCreated;
import io.osprey.events.execution.TaskRunOutputsRecorded;
import io.osprey.events.execution.TaskRunStateChanged;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Projects execution events into the executions read model. Events are applied to the rows of the current
 * batch ({@link ExecutionBatch}) and written when the batch commits, in the transaction that also stores the
 * processor's token. An event whose sequence number the row already holds is skipped, so a redelivery
 * changes nothing; a token reset empties the tables first, so replaying rebuilds them.
 */
@Component
@ProcessingGroup(ExecutionProjection.PROCESSOR)
public class ExecutionProjection {

    public static final String PROCESSOR = "executions";

    private final ExecutionTables tables;

    ExecutionProjection(ExecutionTables tables) {
        this.tables = tables;
    }

    @EventHandler
    void on(ExecutionCreated event, @SequenceNumber long sequence) {
        if (batch().create(event, sequence)) {
            tables.insertFiles(event.tenant(), event.executionId(), null, ExecutionTables.INPUTS, event.files());
        }
    }

    @EventHandler
    void on(ExecutionStateChanged event, @SequenceNumber long sequence) {
        batch().advance(event, sequence).ifPresent(execution -> execution.changeState(event.to(), event.at()));
    }

    @EventHandler
    void on(ExecutionRestarted event, @SequenceNumber long sequence) {
        ExecutionBatch batch = batch();
        batch.advance(event, sequence).ifPresent(execution -> {
            execution.changeState(State.RESTARTED, event.at());
            event.taskRuns().forEach(restarted -> batch.taskRun(execution, restarted.taskRunId())
                    .ifPresent(run -> run.changeState(restarted.attempt(), State.RESTARTED, event.at())));
        });
    }

    @EventHandler
    void on(ExecutionLabelsChanged event, @SequenceNumber long sequence) {
        batch().advance(event, sequence).ifPresent(execution -> execution.replaceLabels(event.labels()));
    }

    @EventHandler
    void on(ExecutionVariablesSet event, @SequenceNumber long sequence) {
        batch().advance(event, sequence).ifPresent(execution -> {
            execution.replaceVariables(event.variables());
            replaceFiles(event, null, ExecutionTables.VARIABLES, event.files());
        });
    }

    @EventHandler
    void on(ExecutionOutputsRecorded event, @SequenceNumber long sequence) {
        batch().advance(event, sequence).ifPresent(execution -> {
            execution.replaceOutputs(event.outputs());
            replaceFiles(event, null, ExecutionTables.OUTPUTS, event.files());
        });
    }

    @EventHandler
    void on(TaskRunCreated event, @SequenceNumber long sequence) {
        ExecutionBatch batch = batch();
        batch.advance(event, sequence).ifPresent(execution -> batch.addTaskRun(event, sequence));
    }

    @EventHandler
    void on(TaskRunStateChanged event, @SequenceNumber long sequence) {
        ExecutionBatch batch = batch();
        batch.advance(event, sequence).flatMap(execution -> batch.taskRun(execution, event.taskRunId()))
                .ifPresent(run -> run.changeState(event.attempt(), event.to(), event.at()));
    }

    @EventHandler
    void on(TaskRunOutputsRecorded event, @SequenceNumber long sequence) {
        ExecutionBatch batch = batch();
        batch.advance(event, sequence).flatMap(execution -> batch.taskRun(execution, event.taskRunId()))
                .ifPresent(run -> {
                    run.replaceOutputs(event.outputs());
                    replaceFiles(event, event.taskRunId(), ExecutionTables.OUTPUTS, event.files());
                });
    }

    /** The replaced values' files are no longer the execution's: only the new ones are listed and served. */
    private void replaceFiles(ExecutionEvent event, String taskRunId, String kind, List<FileReference> files) {
        tables.deleteFiles(event.tenant(), event.executionId(), taskRunId, kind);
        tables.insertFiles(event.tenant(), event.executionId(), taskRunId, kind, files);
    }

    /** Runs in the reset's transaction, before the tokens move back: the replay starts from empty tables. */
    @ResetHandler
    void onReset() {
        tables.deleteAll();
    }

    /**
     * The batch of the current unit of work: created at the first event with the rows of all the batch's
     * executions, written just before the commit.
     */
    private ExecutionBatch batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(ExecutionBatch.class.getName(), key -> {
            ExecutionBatch batch = new ExecutionBatch(tables);
            batch.preload(executionEventsOf(unitOfWork));
            unitOfWork.onPrepareCommit(committing -> batch.flush());
            return batch;
        });
    }

    private static List<ExecutionEvent> executionEventsOf(UnitOfWork<?> unitOfWork) {
        List<? extends Message<?>> messages = unitOfWork instanceof BatchingUnitOfWork<?> batch
                ? batch.getMessages() : List.of(unitOfWork.getMessage());
        return messages.stream().map(Message::getPayload)
                .filter(ExecutionEvent.class::isInstance).map(ExecutionEvent.class::cast).toList();
    }
}
