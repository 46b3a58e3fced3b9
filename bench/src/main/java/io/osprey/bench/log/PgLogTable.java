package io.osprey.bench.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.BenchDatabase;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.Log;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL shape of the log lines for logs-search: created, loaded with COPY ({@code clients} connections, 10 000
 * lines per COPY), indexed after the load (the fastest way to build them), then {@code VACUUM ANALYZE} (statistics,
 * visibility map); queried over one connection of its own with prepared statements.
 */
abstract class PgLogTable implements AutoCloseable {

    static final int LOAD_BATCH = 10_000;

    /** How long the load took, step by step, and the table's size with its indexes. */
    record Load(BatchPhase copy, double indexSeconds, double analyzeSeconds, long bytes) {
        double seconds() {
            return copy.seconds() + indexSeconds + analyzeSeconds;
        }

        ObjectNode json() {
            ObjectNode node = JsonLine.object();
            node.put("lines", copy.lines());
            JsonLine.put(node, "seconds", seconds());
            JsonLine.put(node, "copy_seconds", copy.seconds());
            JsonLine.put(node, "index_seconds", indexSeconds);
            JsonLine.put(node, "vacuum_analyze_seconds", analyzeSeconds);
            JsonLine.put(node, "lines_per_s", copy.lines() / seconds());
            node.put("bytes", bytes);
            return node;
        }
    }

    protected final BenchDatabase db;
    protected final String table;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private Connection queries;

    protected PgLogTable(BenchDatabase db, String table) {
        this.db = db;
        this.table = table;
    }

    /** DDL run before the load (types, functions, the table with its primary key if any). */
    protected abstract List<String> createStatements();

    /** Secondary indexes, built after the load. */
    protected abstract List<String> indexStatements();

    protected abstract String copyColumns();

    /** Appends line {@code index} as a COPY text-format row of {@link #copyColumns()}. */
    protected abstract void appendRow(StringBuilder rows, LogLine line, int index);

    Load load(LogGenerator lines, int clients) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String sql : createStatements()) {
                s.execute(sql);
            }
        }
        BatchPhase copy = BatchPhase.run("load " + table, lines.lines(), LOAD_BATCH, clients, thread -> {
            Connection connection = db.connect();
            return new BatchPhase.Worker() {
                @Override
                public long load(int from, int to) throws SQLException {
                    StringBuilder rows = new StringBuilder((to - from) * 600);
                    int[] index = {from};
                    lines.forEach(from, to, line -> appendRow(rows, line, index[0]++));
                    long begin = System.nanoTime();
                    PgCopy.copy(connection, table, copyColumns(), rows.toString().getBytes(StandardCharsets.UTF_8));
                    return System.nanoTime() - begin;
                }

                @Override
                public void close() throws SQLException {
                    connection.close();
                }
            };
        });
        copy.requireNoErrors();
        long begin = System.nanoTime();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String sql : indexStatements()) {
                s.execute(sql);
            }
        }
        double indexSeconds = (System.nanoTime() - begin) / 1e9;
        begin = System.nanoTime();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE " + table);
        }
        double analyzeSeconds = (System.nanoTime() - begin) / 1e9;
        long bytes = PgStats.totalRelationSize(db, table);
        Log.info("%s: COPY %.1f s, indexes %.1f s, VACUUM ANALYZE %.1f s, %d bytes", table, copy.seconds(),
                indexSeconds, analyzeSeconds, bytes);
        return new Load(copy, indexSeconds, analyzeSeconds, bytes);
    }

    /** The connection this table's queries run on (opened on first use, then {@link #prepareSession}). */
    protected Connection queries() throws SQLException {
        if (queries == null) {
            queries = db.connect();
            prepareSession(queries);
        }
        return queries;
    }

    /** {@code SELECT 1} on the query connection: a round trip that does no work, the floor under every query. */
    Hits selectOne() throws SQLException {
        PreparedStatement ps = prepared("SELECT 1");
        Connection c = queries();
        long begin = System.nanoTime();
        List<Instant> rows = readAll(ps);
        if (!c.getAutoCommit()) {
            c.commit();
        }
        return new Hits(System.nanoTime() - begin, List.of(), rows.size(), -1);
    }

    /** Session settings of the query connection. */
    protected abstract void prepareSession(Connection connection) throws SQLException;

    /** A statement on the query connection, prepared once per SQL text. */
    protected PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = queries().prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /**
     * Executes the prepared query and reads every column of every row (as a client would); returns the values of
     * the {@code timestamp} column, or nulls (one per row) when the query does not select it.
     */
    protected static List<Instant> readAll(PreparedStatement ps) throws SQLException {
        List<Instant> timestamps = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            int columns = meta.getColumnCount();
            int timestamp = -1;
            for (int i = 1; i <= columns; i++) {
                if (meta.getColumnLabel(i).equals("timestamp")) {
                    timestamp = i;
                }
            }
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    if (i != timestamp) {
                        rs.getString(i);
                    }
                }
                timestamps.add(timestamp > 0 ? rs.getObject(timestamp, OffsetDateTime.class).toInstant() : null);
            }
        }
        return timestamps;
    }

    /** Counts the rows a condition on this table matches (once, to describe the data). */
    long count(String condition, String parameter) throws SQLException {
        try (PreparedStatement ps = queries().prepareStatement("SELECT count(*) FROM " + table + " WHERE " + condition)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement ps : statements.values()) {
            ps.close();
        }
        if (queries != null) {
            queries.close();
        }
    }
}
