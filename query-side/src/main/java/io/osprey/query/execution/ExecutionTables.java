package io.osprey.query.execution;

import com.fasterxml.jackson.core.type.TypeReference;
import io.osprey.events.execution.FileReference;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.State;
import io.osprey.events.execution.TaskRunCreated;
import io.osprey.query.projection.ReadModelJson;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The projection's access to the executions read model: loads what events change, writes a batch's rows at once. */
@Component
class ExecutionTables {

    static final TypeReference<List<StateEntry>> HISTORIES = new TypeReference<>() {
    };
    static final TypeReference<List<AttemptHistory>> ATTEMPTS = new TypeReference<>() {
    };

    /** The value maps a file can belong to (column {@code kind}). */
    static final String INPUTS = "inputs";
    static final String OUTPUTS = "outputs";
    static final String VARIABLES = "variables";

    private static final String EXECUTION_STATE = "SELECT tenant, id, version, state_current, state_histories, end_date FROM executions";
    /** Keys per preload query, well below the drivers' bind-parameter limits. */
    private static final int KEYS_PER_QUERY = 500;
    private static final String LOAD_TASK_RUN =
            "SELECT state_current, state_histories, attempt, attempts FROM task_runs WHERE tenant = ? AND execution_id = ? AND id = ?";
    private static final String INSERT_EXECUTION = """
            INSERT INTO executions (tenant, id, namespace, flow_id, flow_revision, state_current, state_histories,
                start_date, end_date, labels, inputs, outputs, variables, parent_id, trigger_ref, version, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    // COALESCE keeps the stored document when the batch did not replace it (parameter null)
    private static final String UPDATE_EXECUTION = """
            UPDATE executions SET state_current = ?, state_histories = ?, end_date = ?, labels = COALESCE(?, labels),
                outputs = COALESCE(?, outputs), variables = COALESCE(?, variables), version = ?, updated_at = ?
            WHERE tenant = ? AND id = ?""";
    private static final String DELETE_LABELS = "DELETE FROM execution_labels WHERE tenant = ? AND execution_id = ?";
    private static final String INSERT_LABEL =
            "INSERT INTO execution_labels (tenant, execution_id, label_key, label_value) VALUES (?, ?, ?, ?)";
    private static final String INSERT_TASK_RUN = """
            INSERT INTO task_runs (tenant, execution_id, id, task_id, parent_task_run_id, run_value, iteration,
                created_seq, state_current, state_histories, attempt, attempts, outputs)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String UPDATE_TASK_RUN = """
            UPDATE task_runs SET state_current = ?, state_histories = ?, attempt = ?, attempts = ?,
                outputs = COALESCE(?, outputs)
            WHERE tenant = ? AND execution_id = ? AND id = ?""";

    private final JdbcTemplate jdbc;

    ExecutionTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The rows of those of these executions that exist, in one query per few hundred keys. */
    List<ExecutionRow> load(List<ExecutionKey> keys) {
        List<ExecutionRow> rows = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<ExecutionKey> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            String sql = EXECUTION_STATE + " WHERE (tenant, id) IN (" + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?)")) + ")";
            rows.addAll(jdbc.query(sql, ExecutionTables::executionRow,
                    chunk.stream().flatMap(key -> Stream.of(key.tenant(), key.id())).toArray()));
        }
        return rows;
    }

    private static ExecutionRow executionRow(ResultSet row, int rowNumber) throws SQLException {
        return ExecutionRow.loaded(row.getString("tenant"), row.getString("id"),
                row.getLong("version"),
                State.valueOf(row.getString("state_current")),
                ReadModelJson.read(row.getString("state_histories"), HISTORIES),
                instant(row.getObject("end_date", OffsetDateTime.class)));
    }

    Optional<TaskRunRow> loadTaskRun(String tenant, String executionId, String id) {
        return jdbc.query(LOAD_TASK_RUN, (row, i) -> TaskRunRow.loaded(tenant, executionId, id,
                State.valueOf(row.getString("state_current")),
                ReadModelJson.read(row.getString("state_histories"), HISTORIES),
                row.getInt("attempt"),
                ReadModelJson.read(row.getString("attempts"), ATTEMPTS)), tenant, executionId, id).stream().findFirst();
    }

    /** Writes the rows a batch created or changed, a few JDBC batches in all. */
    void write(Collection<ExecutionRow> executions, Collection<TaskRunRow> taskRuns) {
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> labelDeletes = new ArrayList<>();
        List<Object[]> labelInserts = new ArrayList<>();
        for (ExecutionRow row : executions) {
            if (!row.changed()) {
                continue;
            }
            if (row.isNew()) {
                inserts.add(insertOf(row));
            } else {
                updates.add(updateOf(row));
                if (row.labels() != null) {
                    labelDeletes.add(new Object[]{row.tenant(), row.id()});
                }
            }
            if (row.labels() != null) {
                lastValuePerKey(row.labels()).forEach((key, value) ->
                        labelInserts.add(new Object[]{row.tenant(), row.id(), key, value}));
            }
        }
        List<Object[]> taskRunInserts = new ArrayList<>();
        List<Object[]> taskRunUpdates = new ArrayList<>();
        for (TaskRunRow row : taskRuns) {
            if (row.isNew()) {
                taskRunInserts.add(insertOf(row));
            } else if (row.changed()) {
                taskRunUpdates.add(updateOf(row));
            }
        }
        batch(INSERT_EXECUTION, inserts);
        batch(UPDATE_EXECUTION, updates);
        batch(DELETE_LABELS, labelDeletes);
        batch(INSERT_LABEL, labelInserts);
        batch(INSERT_TASK_RUN, taskRunInserts);
        batch(UPDATE_TASK_RUN, taskRunUpdates);
    }

    /**
     * Records the files of an execution's inputs, outputs or variables ({@code taskRunId} null) or of a task run's
     * outputs.
     */
    void insertFiles(String tenant, String executionId, String taskRunId, String kind, List<FileReference> files) {
        batch("INSERT INTO execution_files (tenant, execution_id, task_run_id, kind, name, uri, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                files.stream().distinct().map(file -> new Object[]{tenant, executionId, taskRunId, kind, file.name(),
                        file.uri(), file.size(), file.sha256()}).toList());
    }

    /** Forgets the files of values that are being replaced: the execution's ({@code taskRunId} null) or a task run's. */
    void deleteFiles(String tenant, String executionId, String taskRunId, String kind) {
        if (taskRunId == null) {
            jdbc.update("DELETE FROM execution_files WHERE tenant = ? AND execution_id = ? AND task_run_id IS NULL AND kind = ?",
                    tenant, executionId, kind);
        } else {
            jdbc.update("DELETE FROM execution_files WHERE tenant = ? AND execution_id = ? AND task_run_id = ? AND kind = ?",
                    tenant, executionId, taskRunId, kind);
        }
    }

    /** Empties the read model, for a rebuild from the first event. */
    void deleteAll() {
        jdbc.update("DELETE FROM execution_files");
        jdbc.update("DELETE FROM execution_labels");
        jdbc.update("DELETE FROM task_runs");
        jdbc.update("DELETE FROM executions");
    }

    private void batch(String sql, List<Object[]> rows) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows);
        }
    }

    private static Object[] insertOf(ExecutionRow row) {
        ExecutionCreated created = row.creation();
        return new Object[]{row.tenant(), row.id(), created.namespace(), created.flowId(), created.flowRevision(),
                row.current().name(), ReadModelJson.write(row.histories()), timestamp(created.at()),
                timestamp(row.endDate()), ReadModelJson.write(row.labels()), ReadModelJson.writeObject(created.inputs()),
                row.outputs(), row.variables(), text(created.parentExecutionId()),
                text(created.trigger() == null ? null : ReadModelJson.write(created.trigger())),
                row.version(), timestamp(row.updatedAt())};
    }

    private static Object[] updateOf(ExecutionRow row) {
        return new Object[]{row.current().name(), ReadModelJson.write(row.histories()), timestamp(row.endDate()),
                text(row.labels() == null ? null : ReadModelJson.write(row.labels())), text(row.outputs()),
                text(row.variables()), row.version(), timestamp(row.updatedAt()), row.tenant(), row.id()};
    }

    private static Object[] insertOf(TaskRunRow row) {
        TaskRunCreated created = row.creation();
        return new Object[]{row.tenant(), row.executionId(), row.id(), created.taskId(),
                text(created.parentTaskRunId()), text(created.value()),
                new SqlParameterValue(Types.INTEGER, created.iteration()), row.createdSequence(), row.current().name(),
                ReadModelJson.write(row.histories()), row.attempt(), ReadModelJson.write(row.attempts()), row.outputs()};
    }

    private static Object[] updateOf(TaskRunRow row) {
        return new Object[]{row.current().name(), ReadModelJson.write(row.histories()), row.attempt(),
                ReadModelJson.write(row.attempts()), text(row.outputs()), row.tenant(), row.executionId(), row.id()};
    }

    /** One label row per key, as the aggregate keeps them; a repeated key keeps its last value. */
    private static Map<String, String> lastValuePerKey(List<Label> labels) {
        Map<String, String> byKey = new LinkedHashMap<>();
        labels.forEach(label -> byKey.put(label.key(), label.value()));
        return byKey;
    }

    /**
     * Typed so that a null binds as a typed NULL on every driver. PostgreSQL text cannot hold NUL, which the command
     * side refuses in free text; one in an event stored before that (a task run's value) is kept as U+FFFD rather
     * than failing the projection on that event for ever.
     */
    private static SqlParameterValue text(String value) {
        return new SqlParameterValue(Types.VARCHAR, value == null ? null : value.replace('\u0000', '\uFFFD'));
    }

    /** To the microsecond the database keeps, as the view shows it (events recorded before EventClock: StateEntry). */
    private static SqlParameterValue timestamp(Instant value) {
        return new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
                value == null ? null : StateEntry.toMicros(value).atOffset(ZoneOffset.UTC));
    }

    static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
