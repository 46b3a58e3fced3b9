package io.osprey.query.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.State;
import io.osprey.query.projection.ReadModelJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An execution row as the projection changes it during one batch. Only what an event appends to (the
 * state history) is loaded; what events replace wholesale (labels, outputs, variables) is null until replaced,
 * so that an update never rewrites a large document it did not change.
 */
final class ExecutionRow {

    private final String tenant;
    private final String id;
    /** Set when this batch created the execution: the row is inserted rather than updated. */
    private final ExecutionCreated creation;
    private long version;
    private Instant updatedAt;
    private boolean changed;
    private State current;
    private final List<StateEntry> histories;
    private Instant endDate;
    private List<Label> labels;
    private String outputs;
    private String variables;

    private ExecutionRow(String tenant, String id, ExecutionCreated creation, long version, State current,
                         List<StateEntry> histories, Instant endDate) {
        this.tenant = tenant;
        this.id = id;
        this.creation = creation;
        this.version = version;
        this.current = current;
        this.histories = new ArrayList<>(histories);
        this.endDate = endDate;
    }

    static ExecutionRow created(ExecutionCreated event, long sequence) {
        ExecutionRow row = new ExecutionRow(event.tenant(), event.executionId(), event, sequence, State.CREATED,
                List.of(new StateEntry(State.CREATED, event.at())), null);
        row.updatedAt = event.at();
        row.changed = true;
        row.labels = event.labels() == null ? List.of() : event.labels();
        row.outputs = "{}";
        row.variables = "{}";
        return row;
    }

    static ExecutionRow loaded(String tenant, String id, long version, State current, List<StateEntry> histories, Instant endDate) {
        return new ExecutionRow(tenant, id, null, version, current, histories, endDate);
    }

    /**
     * Takes the event with this sequence number of the execution's stream. False when the row already
     * reflects it: the event is delivered again (after a token reset or a retried batch) and must change nothing.
     */
    boolean advanceTo(long sequence, Instant at) {
        if (sequence <= version) {
            return false;
        }
        version = sequence;
        updatedAt = at;
        changed = true;
        return true;
    }

    void changeState(State to, Instant at) {
        current = to;
        histories.add(new StateEntry(to, at));
        endDate = to.isTerminal() ? at : null;
    }

    void replaceLabels(List<Label> replacement) {
        labels = replacement == null ? List.of() : replacement;
    }

    void replaceOutputs(Map<String, JsonNode> replacement) {
        outputs = ReadModelJson.writeObject(replacement);
    }

    void replaceVariables(Map<String, JsonNode> replacement) {
        variables = ReadModelJson.writeObject(replacement);
    }

    String tenant() {
        return tenant;
    }

    String id() {
        return id;
    }

    boolean isNew() {
        return creation != null;
    }

    ExecutionCreated creation() {
        return creation;
    }

    boolean changed() {
        return changed;
    }

    long version() {
        return version;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    State current() {
        return current;
    }

    List<StateEntry> histories() {
        return histories;
    }

    Instant endDate() {
        return endDate;
    }

    /** The full label list when replaced during this batch, otherwise null. */
    List<Label> labels() {
        return labels;
    }

    /** The outputs as JSON when replaced during this batch, otherwise null. */
    String outputs() {
        return outputs;
    }

    /** The variables as JSON when replaced during this batch, otherwise null. */
    String variables() {
        return variables;
    }
}
