package io.osprey.bench.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.osprey.bench.support.BenchDatabase;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Shape A of logs-search: Kestra's PostgreSQL log table and its queries, as Kestra 2.0 defines them
 * (kestra-io/kestra {@code jdbc-postgres/src/main/resources/migrations/logs-postgres.sql}, the table name templated
 * there too; queries from {@code AbstractJdbcLogRepository} and {@code PostgresRepository}).
 *
 * <p>A row keeps the whole {@code LogEntry} as JSONB in {@code value}; every other column is generated from it,
 * including {@code fulltext}, a tsvector of all the ids, the thread and the message through Kestra's
 * {@code FULLTEXT_INDEX} (each value split on non-alphanumerics, plus the value itself), under a GIN index.
 * Kestra's search ({@link #fulltext}) is {@code fulltext @@ FULLTEXT_SEARCH(q)}: every word of q as a prefix
 * ({@code word:*}), AND-ed; there is no phrase search, so a phrase is searched as its words. Its list endpoint runs
 * the page and a {@code count(*)} of the same condition, in one transaction. {@link #ilike} is the
 * substring fallback, {@code value ->> 'message' ILIKE '%text%'}, on the same table with the same filters.
 */
final class KestraLogTable extends PgLogTable {

    static final String TABLE = "kestra_logs";
    static final String TENANT = "main";
    private static final JsonFactory JSON = new JsonFactory();
    private static final String NORMAL_KIND = "(execution_kind IS NULL OR execution_kind = 'NORMAL')";

    KestraLogTable(BenchDatabase db) {
        super(db, TABLE);
    }

    @Override
    protected List<String> createStatements() {
        return List.of("""
                DO $$
                BEGIN
                    CREATE TYPE log_level AS ENUM ('ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE');
                EXCEPTION
                    WHEN duplicate_object THEN null;
                END;
                $$""", """
                CREATE OR REPLACE FUNCTION FULLTEXT_REPLACE(text, text) RETURNS text
                    LANGUAGE SQL IMMUTABLE RETURNS NULL ON NULL INPUT
                RETURN TRIM(BOTH $2 FROM ARRAY_TO_STRING(ARRAY(
                    SELECT DISTINCT * FROM UNNEST(REGEXP_SPLIT_TO_ARRAY(COALESCE($1, ''), '[^a-zA-Z\\d]')) AS a
                    WHERE a != ''), $2))""", """
                CREATE OR REPLACE FUNCTION FULLTEXT_INDEX(text) RETURNS tsvector
                    LANGUAGE SQL IMMUTABLE RETURNS NULL ON NULL INPUT
                RETURN TO_TSVECTOR('simple', FULLTEXT_REPLACE($1, ' ')) || TO_TSVECTOR('simple', $1)""", """
                CREATE OR REPLACE FUNCTION FULLTEXT_SEARCH(text) RETURNS tsquery
                    LANGUAGE SQL IMMUTABLE RETURNS NULL ON NULL INPUT
                RETURN CASE WHEN FULLTEXT_REPLACE($1, '') = '' THEN TO_TSQUERY('')
                    ELSE TO_TSQUERY('simple', FULLTEXT_REPLACE($1, ':* & ') || ':*') END""", """
                CREATE OR REPLACE FUNCTION LOGLEVEL_FROMTEXT(text) RETURNS log_level
                    LANGUAGE SQL IMMUTABLE
                RETURN CAST($1 AS log_level)""", """
                CREATE OR REPLACE FUNCTION PARSE_ISO8601_DATETIME(text) RETURNS timestamptz
                    LANGUAGE SQL IMMUTABLE
                RETURN $1::timestamptz""", """
                CREATE TABLE %1$s (
                    key VARCHAR(30) NOT NULL PRIMARY KEY,
                    value JSONB NOT NULL,
                    namespace VARCHAR(150) NOT NULL GENERATED ALWAYS AS (value ->> 'namespace') STORED,
                    flow_id VARCHAR(150) NOT NULL GENERATED ALWAYS AS (value ->> 'flowId') STORED,
                    task_id VARCHAR(150) GENERATED ALWAYS AS (value ->> 'taskId') STORED,
                    execution_id VARCHAR(150) GENERATED ALWAYS AS (value ->> 'executionId') STORED,
                    taskrun_id VARCHAR(150) GENERATED ALWAYS AS (value ->> 'taskRunId') STORED,
                    attempt_number INT GENERATED ALWAYS AS (CAST(value ->> 'attemptNumber' AS INTEGER)) STORED,
                    trigger_id VARCHAR(150) GENERATED ALWAYS AS (value ->> 'triggerId') STORED,
                    level log_level NOT NULL GENERATED ALWAYS AS (LOGLEVEL_FROMTEXT(value ->> 'level')) STORED,
                    timestamp TIMESTAMPTZ NOT NULL GENERATED ALWAYS AS (PARSE_ISO8601_DATETIME(value ->> 'timestamp')) STORED,
                    fulltext TSVECTOR GENERATED ALWAYS AS (
                        FULLTEXT_INDEX(CAST(value ->> 'namespace' AS varchar)) ||
                        FULLTEXT_INDEX(CAST(value ->> 'flowId' AS varchar)) ||
                        FULLTEXT_INDEX(COALESCE(CAST(value ->> 'taskId' AS varchar), '')) ||
                        FULLTEXT_INDEX(COALESCE(CAST(value ->> 'executionId' AS varchar), '')) ||
                        FULLTEXT_INDEX(COALESCE(CAST(value ->> 'taskRunId' AS varchar), '')) ||
                        FULLTEXT_INDEX(COALESCE(CAST(value ->> 'triggerId' AS varchar), '')) ||
                        FULLTEXT_INDEX(COALESCE(CAST(value ->> 'message' AS varchar), '')) ||
                        FULLTEXT_INDEX(COALESCE(CAST(value ->> 'thread' AS varchar), ''))
                    ) STORED,
                    tenant_id VARCHAR(250) GENERATED ALWAYS AS (value ->> 'tenantId') STORED,
                    execution_kind VARCHAR(32) GENERATED ALWAYS AS (value ->> 'executionKind') STORED
                )""".formatted(TABLE));
    }

    @Override
    protected List<String> indexStatements() {
        return List.of(
                "CREATE INDEX %1$s_execution_id__task_id ON %1$s (execution_id, task_id)",
                "CREATE INDEX %1$s_execution_id__taskrun_id ON %1$s (execution_id, taskrun_id)",
                "CREATE INDEX %1$s_fulltext ON %1$s USING GIN (fulltext)",
                "CREATE INDEX %1$s_tenant_timestamp ON %1$s (tenant_id, timestamp, level)",
                "CREATE INDEX %1$s_tenant_namespace_timestamp ON %1$s (tenant_id, namespace, timestamp, level)",
                "CREATE INDEX %1$s_tenant_namespace_flow_id_timestamp ON %1$s (tenant_id, namespace, flow_id, timestamp, level)")
                .stream().map(sql -> sql.formatted(TABLE)).toList();
    }

    @Override
    protected String copyColumns() {
        return "key, value";
    }

    /** key: a 22-character base62 id as Kestra's {@code IdUtils.create()}; value: the LogEntry's JSON. */
    @Override
    protected void appendRow(StringBuilder rows, LogLine line, int index) {
        rows.append(LogGenerator.base62(LogGenerator.mix(index), LogGenerator.mix(~index))).append('\t');
        PgCopy.field(rows, json(line)).append('\n');
    }

    /** Every query of Kestra's repository runs in a transaction (jOOQ's {@code transactionResult}). */
    @Override
    protected void prepareSession(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    /** Kestra's search: the page, then the total, in one transaction (namespace and dates may be null). */
    Hits fulltext(String q, String namespace, Instant start, Instant end, int size, int offset) throws SQLException {
        String where = where("fulltext @@ FULLTEXT_SEARCH(?)", namespace, start, end);
        PreparedStatement page = prepared("SELECT key AS id, * FROM " + TABLE + where
                + " ORDER BY timestamp DESC LIMIT ? OFFSET ?");
        PreparedStatement total = prepared("SELECT count(*) FROM (SELECT 1 FROM " + TABLE + where + ") AS matches");
        int next = bind(page, q, namespace, start, end);
        page.setInt(next, size);
        page.setInt(next + 1, offset);
        bind(total, q, namespace, start, end);
        Connection c = queries();
        long begin = System.nanoTime();
        List<Instant> timestamps = readAll(page);
        long count;
        try (var rs = total.executeQuery()) {
            rs.next();
            count = rs.getLong(1);
        }
        c.commit();
        return new Hits(System.nanoTime() - begin, timestamps, timestamps.size(), count);
    }

    /** The ILIKE fallback: {@code value ->> 'message' ILIKE '%text%'}, the same filters and order, the page only. */
    Hits ilike(String text, String namespace, Instant start, Instant end, int size, int offset) throws SQLException {
        PreparedStatement page = prepared("SELECT key AS id, * FROM " + TABLE
                + where("value ->> 'message' ILIKE ?", namespace, start, end) + " ORDER BY timestamp DESC LIMIT ? OFFSET ?");
        int next = bind(page, "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",
                namespace, start, end);
        page.setInt(next, size);
        page.setInt(next + 1, offset);
        Connection c = queries();
        long begin = System.nanoTime();
        List<Instant> timestamps = readAll(page);
        c.commit();
        return new Hits(System.nanoTime() - begin, timestamps, timestamps.size(), -1);
    }

    /** Kestra's {@code findByExecutionId}: the values of an execution's lines in time order. */
    Hits executionLines(String executionId) throws SQLException {
        PreparedStatement ps = prepared("SELECT value FROM " + TABLE
                + " WHERE tenant_id = ? AND execution_id = ? ORDER BY timestamp ASC");
        ps.setString(1, TENANT);
        ps.setString(2, executionId);
        Connection c = queries();
        long begin = System.nanoTime();
        List<Instant> rows = readAll(ps);
        c.commit();
        return new Hits(System.nanoTime() - begin, List.of(), rows.size(), -1);
    }

    private static String where(String match, String namespace, Instant start, Instant end) {
        return " WHERE " + NORMAL_KIND + " AND tenant_id = ? AND " + match
                + (namespace == null ? "" : " AND namespace = ?")
                + (start == null ? "" : " AND timestamp >= ?")
                + (end == null ? "" : " AND timestamp <= ?");
    }

    /** Binds tenant, the match parameter and the filters given; returns the next parameter index. */
    private static int bind(PreparedStatement ps, String match, String namespace, Instant start, Instant end)
            throws SQLException {
        int i = 1;
        ps.setString(i++, TENANT);
        ps.setString(i++, match);
        if (namespace != null) {
            ps.setString(i++, namespace);
        }
        if (start != null) {
            ps.setObject(i++, utc(start));
        }
        if (end != null) {
            ps.setObject(i++, utc(end));
        }
        return i;
    }

    /** The LogEntry as Kestra's JSON mapper writes it (nulls left out). */
    static String json(LogLine line) {
        StringWriter out = new StringWriter(line.message().length() + 320);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("tenantId", TENANT);
            g.writeStringField("namespace", line.namespace());
            g.writeStringField("flowId", line.flowId());
            if (line.taskId() != null) {
                g.writeStringField("taskId", line.taskId());
            }
            g.writeStringField("executionId", line.executionId());
            if (line.taskRunId() != null) {
                g.writeStringField("taskRunId", line.taskRunId());
            }
            g.writeNumberField("attemptNumber", line.attemptNumber());
            if (line.triggerId() != null) {
                g.writeStringField("triggerId", line.triggerId());
            }
            g.writeStringField("timestamp", line.isoTimestamp());
            g.writeStringField("level", line.level());
            g.writeStringField("thread", line.thread());
            g.writeStringField("message", line.message());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
