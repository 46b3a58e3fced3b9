package io.osprey.events.health;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.osprey.events.store.DatabaseVendor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * DOWN while PostgreSQL takes no writes: a standby in recovery, a database or server made read-only, a failover under
 * way. Reads still work there, so a check of the connection alone says UP while every command and projection fails.
 * Finding its session read-only, it has the pool drop its connections: sessions keep the read-only setting they
 * started with, and new ones take writes as soon as the database does.
 */
final class DatabaseWritesHealthIndicator implements HealthIndicator {

    private final DataSource dataSource;

    DatabaseWritesHealthIndicator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Health health() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (DatabaseVendor.of(connection) != DatabaseVendor.POSTGRESQL) {
                return Health.up().build(); // H2 is embedded: nothing makes it read-only under the node
            }
            try (ResultSet row = statement.executeQuery(
                    "SELECT current_setting('transaction_read_only') = 'on', pg_is_in_recovery()")) {
                row.next();
                boolean readOnly = row.getBoolean(1);
                boolean standby = row.getBoolean(2);
                if (!readOnly && !standby) {
                    return Health.up().build();
                }
                dropPooledConnections();
                return Health.down().withDetail("error", standby
                        ? "the database is a standby in recovery, read-only: it takes no writes"
                        : "the database's sessions are read-only (default_transaction_read_only): it takes no writes").build();
            }
        } catch (SQLException e) {
            return Health.down().withDetail("error", e.getMessage()).build();
        }
    }

    private void dropPooledConnections() throws SQLException {
        if (dataSource.isWrapperFor(HikariDataSource.class)) {
            HikariPoolMXBean pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
            if (pool != null) {
                pool.softEvictConnections(); // idle ones now, those in use when they come back
            }
        }
    }
}
