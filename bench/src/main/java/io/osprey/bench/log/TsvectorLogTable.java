package io.osprey.bench.log;

import io.osprey.bench.support.BenchDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Shape B of logs-search, the best PostgreSQL full-text setup we know for these queries: the line's columns, a
 * generated {@code to_tsvector('simple', message)} under a GIN index, a btree on (namespace, timestamp) for the
 * filtered searches, one on (execution_id, timestamp) for an execution's lines and one on (timestamp) for the
 * unfiltered deep page. Words are matched with {@code plainto_tsquery}, phrases with {@code phraseto_tsquery};
 * the page only (LIMIT/OFFSET), no total; autocommit, each execution planned with its parameters.
 */
final class TsvectorLogTable extends PgLogTable {

    static final String TABLE = "tsv_logs";

    TsvectorLogTable(BenchDatabase db) {
        super(db, TABLE);
    }

    @Override
    protected List<String> createStatements() {
        return List.of("CREATE TABLE " + TABLE + " (" + PgCopy.PLAIN_DEFINITIONS + ",\n"
                + "message_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(message, ''))) STORED)");
    }

    @Override
    protected List<String> indexStatements() {
        return List.of(
                "CREATE INDEX " + TABLE + "_message_tsv ON " + TABLE + " USING GIN (message_tsv)",
                "CREATE INDEX " + TABLE + "_namespace_timestamp ON " + TABLE + " (namespace, timestamp)",
                "CREATE INDEX " + TABLE + "_execution_timestamp ON " + TABLE + " (execution_id, timestamp)",
                "CREATE INDEX " + TABLE + "_timestamp ON " + TABLE + " (timestamp)");
    }

    @Override
    protected String copyColumns() {
        return PgCopy.PLAIN_COLUMNS;
    }

    @Override
    protected void appendRow(StringBuilder rows, LogLine line, int index) {
        PgCopy.appendPlainRow(rows, line);
    }

    /**
     * Plans every execution with its parameters: a prepared statement's generic plan cannot tell a rare word from a
     * common one, and the best plan differs (GIN for the rare, the (namespace, timestamp) btree for the common).
     */
    @Override
    protected void prepareSession(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET plan_cache_mode = force_custom_plan");
        }
    }

    /**
     * Lines matching the words ({@code phrase} false) or the phrase, newest first; namespace and dates may be null.
     */
    Hits search(String text, boolean phrase, String namespace, Instant start, Instant end, int size, int offset)
            throws SQLException {
        PreparedStatement ps = prepared("SELECT " + PgCopy.PLAIN_COLUMNS + " FROM " + TABLE
                + " WHERE message_tsv @@ " + (phrase ? "phraseto_tsquery" : "plainto_tsquery") + "('simple', ?)"
                + (namespace == null ? "" : " AND namespace = ?")
                + (start == null ? "" : " AND timestamp >= ?")
                + (end == null ? "" : " AND timestamp <= ?")
                + " ORDER BY timestamp DESC LIMIT ? OFFSET ?");
        int i = 1;
        ps.setString(i++, text);
        if (namespace != null) {
            ps.setString(i++, namespace);
        }
        if (start != null) {
            ps.setObject(i++, utc(start));
        }
        if (end != null) {
            ps.setObject(i++, utc(end));
        }
        ps.setInt(i++, size);
        ps.setInt(i, offset);
        long begin = System.nanoTime();
        List<Instant> timestamps = readAll(ps);
        return new Hits(System.nanoTime() - begin, timestamps, timestamps.size(), -1);
    }

    /** An execution's lines in time order. */
    Hits executionLines(String executionId) throws SQLException {
        PreparedStatement ps = prepared("SELECT " + PgCopy.PLAIN_COLUMNS + " FROM " + TABLE
                + " WHERE execution_id = ? ORDER BY timestamp");
        ps.setString(1, executionId);
        long begin = System.nanoTime();
        List<Instant> timestamps = readAll(ps);
        return new Hits(System.nanoTime() - begin, timestamps, timestamps.size(), -1);
    }
}
