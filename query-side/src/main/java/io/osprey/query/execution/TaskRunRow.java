package io.osprey.query.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.events.execution.State;
import io.osprey.events.execution.TaskRunCreated;
import io.osprey.query.projection.ReadModelJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A task run row as the projection changes it during one batch; outputs stay unloaded unless replaced. */
final class TaskRunRow {

    private final String tenant;
    private final String executionId;
    private final String id;
    /** Set when this batch created the task run: the row is inserted rather than updated. */
    private final TaskRunCreated creation;
    private final long createdSequence;
    private boolean changed;
    private State current;
    private final List<StateEntry> histories;
    private int attempt;
    private final List<AttemptHistory> attempts;
    private String outputs;

    private TaskRunRow(String tenant, String executionId, String id, TaskRunCreated creation, long createdSequence,
                       State current, List<StateEntry> histories, int attempt, List<AttemptHistory> attempts) {
        this.tenant = tenant;
        this.executionId = executionId;
        this.id = id;
        this.creation = creation;
        this.createdSequence = createdSequence;
        this.current = current;
        this.histories = new ArrayList<>(histories);
        this.attempt = attempt;
        this.attempts = new ArrayList<>(attempts);
    }

    static TaskRunRow created(TaskRunCreated event, long sequence) {
        StateEntry created = new StateEntry(State.CREATED, event.at());
        TaskRunRow row = new TaskRunRow(event.tenant(), event.executionId(), event.taskRunId(), event, sequence,
                State.CREATED, List.of(created), event.attempt(), List.of(AttemptHistory.startingWith(created)));
        row.changed = true;
        row.outputs = "{}";
        return row;
    }

    static TaskRunRow loaded(String tenant, String executionId, String id, State current, List<StateEntry> histories,
                             int attempt, List<AttemptHistory> attempts) {
        return new TaskRunRow(tenant, executionId, id, null, -1, current, histories, attempt, attempts);
    }

    /** Moves the task run to a state; an attempt number above the current one begins a new attempt in that state. */
    void changeState(int attemptNumber, State to, Instant at) {
        StateEntry entry = new StateEntry(to, at);
        if (attemptNumber > attempt) {
            attempt = attemptNumber;
            attempts.add(AttemptHistory.startingWith(entry));
        } else {
            int last = attempts.size() - 1;
            attempts.set(last, attempts.get(last).with(entry));
        }
        current = to;
        histories.add(entry);
        changed = true;
    }

    void replaceOutputs(Map<String, JsonNode> replacement) {
        outputs = ReadModelJson.writeObject(replacement);
        changed = true;
    }

    String tenant() {
        return tenant;
    }

    String executionId() {
        return executionId;
    }

    String id() {
        return id;
    }

    boolean isNew() {
        return creation != null;
    }

    TaskRunCreated creation() {
        return creation;
    }

    long createdSequence() {
        return createdSequence;
    }

    boolean changed() {
        return changed;
    }

    State current() {
        return current;
    }

    List<StateEntry> histories() {
        return histories;
    }

    int attempt() {
        return attempt;
    }

    List<AttemptHistory> attempts() {
        return attempts;
    }

    /** The outputs as JSON when replaced during this batch, otherwise null. */
    String outputs() {
        return outputs;
    }
}
