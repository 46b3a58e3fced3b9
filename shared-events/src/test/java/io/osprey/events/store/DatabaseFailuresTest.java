package io.osprey.events.store;

import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

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
    void aBugIsNot() {
        assertThat(failures.isDatabaseDown(new IllegalStateException("a bug"))).isFalse();
    }
}
