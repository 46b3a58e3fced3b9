package io.osprey.events.store;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;

/**
 * Tells HikariCP to drop a connection whose session refused a write as read-only (SQLState 25006: a standby, a failover
 * under way, a database made read-only). Such a session stays read-only for its life, whatever the server does next;
 * kept in the pool, it would fail writes long after the database takes them again.
 */
public class ReadOnlyEviction implements SQLExceptionOverride {

    static final String READ_ONLY_TRANSACTION = "25006";

    @java.lang.Override // spelled out: the interface has an enum named Override
    public Override adjudicate(SQLException e) {
        return READ_ONLY_TRANSACTION.equals(e.getSQLState()) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
