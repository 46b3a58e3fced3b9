package io.osprey.query.execution;

import com.fasterxml.jackson.core.type.TypeReference;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.State;
import io.osprey.events.execution.TriggerReference;
import io.osprey.query.projection.ReadModelJson;
import io.osprey.query.projection.ReadSnapshots;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the executions read model for the query API. */
@Component
public class ExecutionQueries {

    private static final String EXECUTION_COLUMNS = "tenant, id, namespace, flow_id, flow_revision, state_current, "
            + "state_histories, labels, inputs, outputs, variables, parent_id, trigger_ref, version";
    private static final String FIND_EXECUTION = "SELECT " + EXECUTION_COLUMNS + " FROM executions WHERE tenant = ? AND id = ?";
    private static final String FIND_TASK_RUNS = """
            SELECT id, task_id, parent_task_run_id, run_value, iteration, state_current, state_histories, attempts, outputs
            FROM task_runs WHERE tenant = ? AND execution_id = ? ORDER BY created_seq""";
    private static final String FIND_FILES_BASE = "SELECT name, uri, size, sha256, kind, task_run_id FROM execution_files"
            + " WHERE tenant = ? AND execution_id = ?";
    private static final String FIND_FILES = FIND_FILES_BASE + " ORDER BY task_run_id NULLS FIRST, kind, name, uri";
    private static final RowMapper<ExecutionFileView> FILE_MAPPER = (row, i) -> new ExecutionFileView(
            row.getString("name"), row.getString("uri"), row.getLong("size"), row.getString("sha256"),
            row.getString("kind"), row.getString("task_run_id"));
    private static final String HAS_LABEL = "EXISTS (SELECT 1 FROM execution_labels l WHERE l.tenant = e.tenant"
            + " AND l.execution_id = e.id AND l.label_key = ? AND l.label_value = ?)";

    private static final Instant FIRST_STORABLE = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST_STORABLE = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final TypeReference<List<Label>> LABELS = new TypeReference<>() {
    };

    /** Rows of a search page fetched at once. */
    private static final int PAGE_FETCH = 20;

    private final JdbcTemplate jdbc;
    private final ReadSnapshots snapshots;

    public ExecutionQueries(JdbcTemplate jdbc, ReadSnapshots snapshots) {
        this.jdbc = jdbc;
        this.snapshots = snapshots;
    }

    /** The execution, its task runs and its files as of one moment: never a task run of a later version. */
    public Optional<ExecutionView> find(String tenant, String executionId) {
        Instant now = Instant.now();
        return snapshots.read(() -> jdbc.query(FIND_EXECUTION, executionMapper(now), tenant, executionId).stream().findFirst()
                .map(execution -> execution.withDetails(
                        jdbc.query(FIND_TASK_RUNS, taskRunMapper(execution, now), tenant, executionId),
                        jdbc.query(FIND_FILES, FILE_MAPPER, tenant, executionId))));
    }

    /** The current state of an execution, without its details; empty when the read model does not know it. */
    public Optional<State> state(String tenant, String executionId) {
        return jdbc.queryForList("SELECT state_current FROM executions WHERE tenant = ? AND id = ?", String.class,
                tenant, executionId).stream().findFirst().map(State::valueOf);
    }

    /** A file recorded for this execution under exactly this (canonical) URI. */
    public Optional<ExecutionFileView> file(String tenant, String executionId, String uri) {
        return jdbc.query(FIND_FILES_BASE + " AND uri = ?", FILE_MAPPER, tenant, executionId, uri).stream().findFirst();
    }

    /** Takes a search's page as it is read: the total it belongs to first, then each execution of the page. */
    public interface PageSink {
        void total(long total) throws IOException;

        void execution(ExecutionView execution) throws IOException;
    }

    /**
     * A page and the total it belongs to, counted on the same snapshot, handed to {@code sink} as the database sends
     * the rows, {@link #PAGE_FETCH} at a time: a page of large executions (inputs, outputs and variables of hundreds of
     * kilobytes each) is never held whole in memory, where four such pages at once ran a 256 MB query side out of
     * memory. The sink should not wait for a client: the transaction lasts until it has taken the last row.
     */
    public void search(ExecutionSearch search, PageSink sink) {
        Where where = whereOf(search.filter());
        snapshots.read(() -> {
            Long counted = jdbc.queryForObject("SELECT COUNT(*) FROM executions e" + where.sql(), Long.class, where.arguments());
            long total = counted == null ? 0 : counted;
            written(() -> sink.total(total));
            if (total > search.offset()) {
                String page = "SELECT " + EXECUTION_COLUMNS + " FROM executions e" + where.sql()
                        + " ORDER BY " + search.sort().orderBy() + " LIMIT " + search.size() + " OFFSET " + search.offset();
                RowMapper<ExecutionView> mapper = executionMapper(Instant.now());
                jdbc.query(connection -> {
                    PreparedStatement statement = connection.prepareStatement(page);
                    statement.setFetchSize(PAGE_FETCH); // PostgreSQL sends the rows in batches inside the transaction
                    new ArgumentPreparedStatementSetter(where.arguments()).setValues(statement);
                    return statement;
                }, (ResultSet row) -> {
                    ExecutionView execution = mapper.mapRow(row, row.getRow());
                    written(() -> sink.execution(execution));
                });
            }
            return null;
        });
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void written(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the sink could not take it: the transaction ends here
        }
    }

    public StateCounts countByState(ExecutionFilter filter) {
        Where where = whereOf(filter);
        Map<State, Long> counts = new EnumMap<>(State.class);
        jdbc.query("SELECT state_current, COUNT(*) AS n FROM executions e" + where.sql() + " GROUP BY state_current",
                row -> {
                    counts.put(State.valueOf(row.getString("state_current")), row.getLong("n"));
                }, where.arguments());
        return new StateCounts(counts, counts.values().stream().mapToLong(Long::longValue).sum());
    }

    private static Where whereOf(ExecutionFilter filter) {
        Where where = new Where().and("e.tenant = ?", filter.tenant());
        if (filter.namespace() != null) {
            where.and("e.namespace = ?", filter.namespace());
        }
        if (filter.namespacePrefix() != null) {
            where.and("e.namespace LIKE ? ESCAPE '\\'", likePrefix(filter.namespacePrefix()));
        }
        if (filter.flowId() != null) {
            where.and("e.flow_id = ?", filter.flowId());
        }
        if (!filter.states().isEmpty()) {
            where.and("e.state_current IN (" + String.join(", ", Collections.nCopies(filter.states().size(), "?")) + ")",
                    filter.states().stream().map(State::name).toArray());
        }
        for (Label label : filter.labels()) {
            where.and(HAS_LABEL, label.key(), label.value());
        }
        if (filter.startDate() != null) {
            where.and("e.start_date >= ?", storable(filter.startDate()));
        }
        if (filter.endDate() != null) {
            where.and("e.start_date <= ?", storable(filter.endDate()));
        }
        if (filter.idPrefix() != null) {
            where.and("e.id LIKE ? ESCAPE '\\'", likePrefix(filter.idPrefix()));
        }
        return where;
    }

    /**
     * A search bound as the databases take it. Every start date lies within the years 1 to 9999 (events are dated by
     * the clock), so a bound beyond them bounds nothing more at the nearest of them: a far date parsed fine, then
     * failed as a timestamp (PostgreSQL's end at year 294276, the date range of a UTC offset beyond Java's).
     */
    static OffsetDateTime storable(Instant bound) {
        Instant within = bound.isBefore(FIRST_STORABLE) ? FIRST_STORABLE : bound.isAfter(LAST_STORABLE) ? LAST_STORABLE : bound;
        return within.atOffset(ZoneOffset.UTC);
    }

    /** A LIKE pattern matching values that start with the prefix; '_' is a legal id character, not a wildcard. */
    private static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static RowMapper<ExecutionView> executionMapper(Instant now) {
        return (row, i) -> new ExecutionView(
                row.getString("id"),
                row.getString("namespace"),
                row.getString("flow_id"),
                row.getInt("flow_revision"),
                row.getString("tenant"),
                ReadModelJson.read(row.getString("labels"), LABELS),
                row.getString("inputs"),
                row.getString("outputs"),
                row.getString("variables"),
                row.getString("parent_id"),
                trigger(row.getString("trigger_ref")),
                row.getLong("version"),
                state(row, now),
                null,
                null);
    }

    private static RowMapper<TaskRunView> taskRunMapper(ExecutionView execution, Instant now) {
        return (row, i) -> new TaskRunView(
                row.getString("id"),
                execution.id(),
                execution.namespace(),
                execution.flowId(),
                row.getString("task_id"),
                row.getString("parent_task_run_id"),
                row.getString("run_value"),
                row.getObject("iteration", Integer.class),
                row.getString("outputs"),
                attempts(ReadModelJson.read(row.getString("attempts"), ExecutionTables.ATTEMPTS), now),
                state(row, now));
    }

    /** An attempt the next one took the place of (a retry after RETRYING) ended when the next one began. */
    private static List<AttemptView> attempts(List<AttemptHistory> attempts, Instant now) {
        List<AttemptView> views = new ArrayList<>(attempts.size());
        for (int i = 0; i < attempts.size(); i++) {
            List<StateEntry> histories = attempts.get(i).histories();
            Instant supersededAt = i + 1 < attempts.size() ? attempts.get(i + 1).histories().get(0).date() : null;
            views.add(new AttemptView(StateView.of(histories.get(histories.size() - 1).state(), histories, supersededAt, now)));
        }
        return views;
    }

    private static StateView state(ResultSet row, Instant now) throws SQLException {
        return StateView.of(State.valueOf(row.getString("state_current")),
                ReadModelJson.read(row.getString("state_histories"), ExecutionTables.HISTORIES), now);
    }

    private static TriggerReference trigger(String json) {
        return json == null ? null : ReadModelJson.read(json, TriggerReference.class);
    }

    /** A WHERE clause and its arguments, built condition by condition. */
    private static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final List<Object> arguments = new ArrayList<>();

        Where and(String condition, Object... values) {
            conditions.add(condition);
            arguments.addAll(List.of(values));
            return this;
        }

        String sql() {
            return " WHERE " + String.join(" AND ", conditions);
        }

        Object[] arguments() {
            return arguments.toArray();
        }
    }
}
