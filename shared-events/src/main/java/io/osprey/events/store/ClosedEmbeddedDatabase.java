package io.osprey.events.store;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;

/**
 * Tells the connection pool that a connection to an embedded H2 database that has closed is dead. H2 shuts its
 * database down when a statement runs out of memory or its store fails; the pool, knowing only the connection errors
 * of network databases, would otherwise hand out the dead connections for ever. Evicted, they are replaced by new
 * ones, and the first of those opens the database again from its file.
 */
public class ClosedEmbeddedDatabase implements SQLExceptionOverride {

    /** H2's DATABASE_IS_CLOSED and DATABASE_CALLED_AT_SHUTDOWN; PostgreSQL's error code is always 0. */
    private static final int DATABASE_IS_CLOSED = 90098;
    private static final int DATABASE_CALLED_AT_SHUTDOWN = 90121;

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException failure) {
        int code = failure.getErrorCode();
        return code == DATABASE_IS_CLOSED || code == DATABASE_CALLED_AT_SHUTDOWN
                ? SQLExceptionOverride.Override.MUST_EVICT : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
