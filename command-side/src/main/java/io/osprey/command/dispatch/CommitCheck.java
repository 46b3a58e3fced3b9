package io.osprey.command.dispatch;

import io.osprey.events.store.DatabaseVendor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/**
 * Whether a write whose transaction failed after its events were appended (in the commit itself: the database going
 * away just then, or a COMMIT outlasting the socket timeout) was stored after all.
 * <p>
 * Inside the transaction it reads where the last event landed and, on PostgreSQL, the transaction's id in the same
 * statement. After the failure PostgreSQL is asked for that transaction's status, which also says when it is still
 * committing (its connection may be gone while the server goes on): the check waits for an answer for up to
 * {@link #PATIENCE}, and the outcome is unknown after that. H2 runs inside this process, where a commit cannot outlive
 * its caller: there the event is looked for again.
 */
@Component
public class CommitCheck {

    static final Duration PATIENCE = Duration.ofSeconds(10);

    private static final String BY_AGGREGATE = "aggregate_identifier = ? AND sequence_number = ?";
    private static final String BY_EVENT = "event_identifier = ?";

    private final JdbcTemplate jdbc;
    private final boolean hasTransactionStatus;

    public CommitCheck(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.hasTransactionStatus = DatabaseVendor.of(jdbc) == DatabaseVendor.POSTGRESQL;
    }

    /** Where an aggregate's event landed, read in the transaction that appended it. */
    public Appended appended(String aggregateIdentifier, long sequenceNumber) {
        return appendedWhere(BY_AGGREGATE, aggregateIdentifier, sequenceNumber);
    }

    /** Where an event of no aggregate (a log batch's) landed, read in the transaction that appended it. */
    public Appended appendedEvent(String eventIdentifier) {
        return appendedWhere(BY_EVENT, eventIdentifier);
    }

    private Appended appendedWhere(String where, Object... keys) {
        String transaction = hasTransactionStatus ? "pg_current_xact_id()::text" : "CAST(NULL AS VARCHAR)";
        List<Appended> found = jdbc.query("SELECT global_index, " + transaction + " FROM domain_event_entry WHERE " + where,
                (row, n) -> new Appended(row.getLong(1), row.getString(2), where, keys), keys);
        if (found.isEmpty()) {
            throw new IllegalStateException("the event store does not show the event just appended where " + where);
        }
        return found.get(0);
    }

    /**
     * @param what what was written, for the message of a {@link CommitOutcomeUnknownException}
     * @return whether the transaction that appended the event committed
     * @throws CommitOutcomeUnknownException when the database has not told within the patience
     */
    public boolean committed(Appended appended, String what, RuntimeException failure) {
        return committed(appended, what, failure, PATIENCE);
    }

    boolean committed(Appended appended, String what, RuntimeException failure, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        long pauseMillis = 50;
        RuntimeException unanswered = null;
        while (true) {
            try {
                Boolean outcome = outcomeOf(appended);
                if (outcome != null) {
                    return outcome;
                }
            } catch (RuntimeException e) {
                unanswered = e;
            }
            if (System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException(what, failure);
                if (unanswered != null) {
                    unknown.addSuppressed(unanswered);
                }
                throw unknown;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommitOutcomeUnknownException(what, failure);
            }
            pauseMillis = Math.min(pauseMillis * 2, 1000);
        }
    }

    /** True when committed, false when rolled back, null while the transaction is still committing. */
    private Boolean outcomeOf(Appended appended) {
        if (appended.transaction == null) {
            return jdbc.queryForList("SELECT global_index FROM domain_event_entry WHERE " + appended.where, Long.class,
                    appended.keys).contains(appended.position);
        }
        String status = jdbc.queryForObject("SELECT pg_xact_status(?::xid8)", String.class, appended.transaction);
        if ("committed".equals(status)) {
            return true;
        }
        return "aborted".equals(status) ? false : null;
    }

    /** An appended event: its global index, and what tells later whether its transaction committed. */
    public static final class Appended {
        private final long position;
        private final String transaction;
        private final String where;
        private final Object[] keys;

        Appended(long position, String transaction, String where, Object... keys) {
            this.position = position;
            this.transaction = transaction;
            this.where = where;
            this.keys = keys;
        }

        public long position() {
            return position;
        }
    }
}
