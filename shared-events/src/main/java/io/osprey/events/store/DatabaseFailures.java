package io.osprey.events.store;

import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import javax.sql.DataSource;
import java.net.SocketException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.List;

/**
 * Tells a failure caused by the database being away (answer 503, retry later) from a bug (500):
 * either the error says so (connection lost or unobtainable), or a storage error coincides with the
 * database not answering a probe right now.
 */
public class DatabaseFailures {

    /**
     * Connection exceptions, server shutting down or starting, out of connections; a session that takes no writes (a
     * standby, a failover under way: {@link ReadOnlyEviction} drops its connection); H2's database closed or shut down
     * (H2 shuts it down when a statement runs out of memory or its store fails).
     */
    private static final List<String> CONNECTION_LOST_SQL_STATES = List.of("08", "57P01", "57P02", "57P03", "53300",
            ReadOnlyEviction.READ_ONLY_TRANSACTION, "90098", "90121");

    /**
     * What HikariCP's stand-in for a connection it has closed answers, without a SQLState: a statement or a rollback
     * of a unit of work whose connection the pool dropped when the server ended it (the first failure is then lost).
     */
    private static final String CLOSED_BY_POOL = "Connection is closed";

    /** In HikariCP's message when a request for a connection timed out. */
    private static final String POOL_TIMED_OUT = "Connection is not available, request timed out";

    private final DataSource dataSource;

    public DatabaseFailures(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * HikariCP's answer when every connection of the pool stayed in use for its connection timeout while the database
     * answered: the pool gives no cause (one is the last failure to open a connection, when the database is away).
     * The node is busy, not the database down.
     */
    public static boolean isPoolExhausted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException timedOut && timedOut.getCause() == null
                    && timedOut.getMessage() != null && timedOut.getMessage().contains(POOL_TIMED_OUT)) {
                return true;
            }
        }
        return false;
    }

    public boolean isDatabaseDown(Throwable failure) {
        return saysConnectionLost(failure) || (isStorageError(failure) && !databaseAnswers());
    }

    /** Whether a connection to the database can be had and is valid now. */
    public boolean databaseAnswers() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException | RuntimeException unreachable) {
            return false;
        }
    }

    private static boolean saysConnectionLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    || t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SocketException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && CONNECTION_LOST_SQL_STATES.stream().anyMatch(sql.getSQLState()::startsWith)) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() == null && CLOSED_BY_POOL.equals(sql.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isStorageError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException || t instanceof DataAccessException || t instanceof JdbcException
                    || t instanceof EventStoreException) {
                return true;
            }
        }
        return false;
    }
}
