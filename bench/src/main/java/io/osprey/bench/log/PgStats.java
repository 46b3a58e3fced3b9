package io.osprey.bench.log;

import io.osprey.bench.support.BenchDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Sizes and WAL position from the bench database, to compare the bytes each way of storing lines writes. */
final class PgStats {

    private PgStats() {
    }

    /** {@code pg_total_relation_size}: heap, TOAST, free-space and visibility maps, and every index. */
    static long totalRelationSize(BenchDatabase db, String table) throws SQLException {
        return queryLong(db, "SELECT pg_total_relation_size(?::regclass)", table);
    }

    static long databaseSize(BenchDatabase db) throws SQLException {
        return queryLong(db, "SELECT pg_database_size(current_database())", null);
    }

    /** Bytes of WAL written by the whole server so far ({@code pg_current_wal_lsn()} as a byte offset). */
    static long walBytes(BenchDatabase db) throws SQLException {
        return queryLong(db, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint", null);
    }

    private static long queryLong(BenchDatabase db, String sql, String parameter) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
