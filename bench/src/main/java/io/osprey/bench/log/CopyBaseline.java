package io.osprey.bench.log;

import io.osprey.bench.support.BenchDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Raw baseline of logs-ingest: the same lines with PostgreSQL COPY (text format, pgjdbc's CopyManager) into a plain
 * table of the line's columns, no index, one row per line; the same batch size and client count as the Osprey
 * load, one connection per client, one COPY and so one transaction per batch.
 */
final class CopyBaseline {

    static final String TABLE = "copy_logs";

    private final BenchDatabase db;

    CopyBaseline(BenchDatabase db) {
        this.db = db;
    }

    void createTable() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (" + PgCopy.PLAIN_DEFINITIONS + ")");
        }
    }

    void truncate() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + TABLE);
        }
    }

    BatchPhase load(String name, LogGenerator lines, int batch, int clients) throws InterruptedException {
        return BatchPhase.run(name, lines.lines(), batch, clients, thread -> {
            Connection connection = db.connect();
            return new BatchPhase.Worker() {
                @Override
                public long load(int from, int to) throws SQLException {
                    List<LogLine> slice = lines.range(from, to);
                    byte[] rows = PgCopy.plainRows(slice);
                    long begin = System.nanoTime();
                    long copied = PgCopy.copy(connection, TABLE, PgCopy.PLAIN_COLUMNS, rows);
                    long nanos = System.nanoTime() - begin;
                    if (copied != slice.size()) {
                        throw new SQLException("COPY wrote " + copied + " rows of " + slice.size());
                    }
                    return nanos;
                }

                @Override
                public void close() throws SQLException {
                    connection.close();
                }
            };
        });
    }

    long bytes() throws SQLException {
        return PgStats.totalRelationSize(db, TABLE);
    }
}
