package io.osprey.events.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionSystemException;

import java.sql.Connection;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DatabaseFailuresTest {

    /** No probe: a failure that says the database is away is enough. */
    private final DatabaseFailures failures = new DatabaseFailures(null);

    @Test
    void aRollbackThatFailedBecauseTheEmbeddedDatabaseClosedMeansTheDatabaseIsAway() {
        SQLException closed = new SQLException("The database has been closed [90098-232]", "90098", 90098);

        assertThat(failures.isDatabaseDown(new TransactionSystemException("JDBC rollback failed", closed))).isTrue();
        assertThat(failures.isDatabaseDown(new SQLException("Database is already closed", "90121", 90121))).isTrue();
        assertThat(failures.isDatabaseDown(new SQLException("An I/O error occurred", "08006"))).isTrue();
    }

    @Test
    void aStatementOnAConnectionThePoolClosedMeansTheDatabaseIsAwayThoughTheDatabaseAnswersAgain() throws SQLException {
        try (TestDatabase database = TestPostgres.createDatabase(); HikariDataSource pool = pool(database)) {
            Connection connection = pool.getConnection();
            connection.close(); // as the pool does when the server ended the connection under a unit of work
            SQLException closed = catchThrowableOfType(SQLException.class, connection::rollback);

            assertThat(new DatabaseFailures(pool).isDatabaseDown(new TransactionSystemException("JDBC rollback failed",
                    closed))).isTrue();
            assertThat(new DatabaseFailures(pool).isDatabaseDown(new SQLException("syntax error", "42601"))).isFalse();
        }
    }

    private static HikariDataSource pool(TestDatabase database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    @Test
    void aBugIsNot() {
        assertThat(failures.isDatabaseDown(new IllegalStateException("a bug"))).isFalse();
    }
}
