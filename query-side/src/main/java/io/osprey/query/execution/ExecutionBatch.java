package io.osprey.query.execution;

import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.ExecutionEvent;
import io.osprey.events.execution.TaskRunCreated;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rows one projection batch touches: loaded at most once (the executions of the whole batch in one
 * query), changed in memory by the batch's events, and written once when the batch commits.
 */
final class ExecutionBatch {

    private static final Logger log = LoggerFactory.getLogger(ExecutionBatch.class);

    private record TaskRunKey(String tenant, String executionId, String id) {
    }

    private final ExecutionTables tables;
    private final Map<ExecutionKey, ExecutionRow> executions = new LinkedHashMap<>();
    /** Executions looked up and not found: created by this batch, or unknown. */
    private final Set<ExecutionKey> absent = new HashSet<>();
    private final Map<TaskRunKey, TaskRunRow> taskRuns = new LinkedHashMap<>();

    ExecutionBatch(ExecutionTables tables) {
        this.tables = tables;
    }

    /** Loads the rows of all these events' executions in one query, rather than one query per execution. */
    void preload(List<ExecutionEvent> events) {
        Set<ExecutionKey> keys = new LinkedHashSet<>();
        events.forEach(event -> keys.add(new ExecutionKey(event.tenant(), event.executionId())));
        load(keys);
    }

    /** Creates the execution's row unless it exists (the event is delivered again); true when it created it. */
    boolean create(ExecutionCreated event, long sequence) {
        if (execution(event.tenant(), event.executionId()).isEmpty()) {
            executions.put(new ExecutionKey(event.tenant(), event.executionId()), ExecutionRow.created(event, sequence));
            return true;
        }
        return false;
    }

    /**
     * The execution row an event applies to, advanced to the event's sequence number; empty when the row
     * already reflects the event, or when the execution is unknown.
     */
    Optional<ExecutionRow> advance(ExecutionEvent event, long sequence) {
        Optional<ExecutionRow> row = execution(event.tenant(), event.executionId());
        if (row.isEmpty()) {
            log.warn("{} #{} of unknown execution {}/{} ignored", event.getClass().getSimpleName(), sequence,
                    event.tenant(), event.executionId());
        }
        return row.filter(execution -> execution.advanceTo(sequence, event.at()));
    }

    void addTaskRun(TaskRunCreated event, long sequence) {
        taskRuns.put(new TaskRunKey(event.tenant(), event.executionId(), event.taskRunId()), TaskRunRow.created(event, sequence));
    }

    Optional<TaskRunRow> taskRun(ExecutionRow execution, String taskRunId) {
        TaskRunKey key = new TaskRunKey(execution.tenant(), execution.id(), taskRunId);
        TaskRunRow row = taskRuns.get(key);
        if (row == null) {
            row = tables.loadTaskRun(key.tenant(), key.executionId(), key.id()).orElse(null);
            if (row == null) {
                log.warn("change of unknown task run {} of execution {}/{} ignored", taskRunId, key.tenant(), key.executionId());
                return Optional.empty();
            }
            taskRuns.put(key, row);
        }
        return Optional.of(row);
    }

    void flush() {
        tables.write(executions.values(), taskRuns.values());
    }

    private Optional<ExecutionRow> execution(String tenant, String id) {
        ExecutionKey key = new ExecutionKey(tenant, id);
        load(Set.of(key));
        return Optional.ofNullable(executions.get(key));
    }

    /** Loads the rows not looked up yet, remembering which do not exist. */
    private void load(Set<ExecutionKey> keys) {
        List<ExecutionKey> unknown = keys.stream().filter(key -> !executions.containsKey(key) && !absent.contains(key)).toList();
        if (unknown.isEmpty()) {
            return;
        }
        tables.load(unknown).forEach(row -> executions.put(new ExecutionKey(row.tenant(), row.id()), row));
        unknown.stream().filter(key -> !executions.containsKey(key)).forEach(absent::add);
    }
}
