package io.osprey.events.store;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells a gap in the global index that will never be filled from one that an open transaction may still fill, on
 * PostgreSQL. The write that took index {@code p} began its transaction before the next index was taken, so before
 * the gap could be seen: once every transaction open when the gap was first seen has ended and no event holds
 * {@code p}, none ever will (an identity gives no value twice). Then a gap left by a lost race between command sides
 * or by a refused append holds log follows back for a moment, not for the gap timeout. H2 cannot list open
 * transactions, and nor can a database user that may not see other users' sessions (their state and type read as
 * null, and count as open): there a gap is waited out.
 */
public class EventStoreGaps {

    /**
     * The name query sides give their connections ({@code ApplicationName} in query-side.yml): they never append
     * events, so their transactions (projection batches, reads) cannot fill a gap and hold none back.
     */
    public static final String QUERY_SIDE_APPLICATION = "osprey-query-side";

    /**
     * Sessions of this database in a transaction begun at or before the mark, or whose state this user may not see
     * (null) or that does not track it ({@code disabled}); other processes' own (autovacuum, walsenders) never write
     * events, nor do query sides.
     */
    private static final String OPEN_SINCE = """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND (backend_type = 'client backend' OR backend_type IS NULL)
              AND application_name IS DISTINCT FROM '%s'
              AND (state IS NULL OR state = 'disabled' OR xact_start <= ?)""".formatted(QUERY_SIDE_APPLICATION);

    private final JdbcTemplate jdbc;
    private volatile Boolean postgres;

    public EventStoreGaps(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The database's clock now, to time a gap first seen now by; empty where gaps cannot be told apart. */
    public Optional<Instant> now() {
        if (!postgres()) {
            return Optional.empty();
        }
        return Optional.ofNullable(jdbc.queryForObject("SELECT clock_timestamp()", OffsetDateTime.class))
                .map(OffsetDateTime::toInstant);
    }

    /**
     * Whether the write that took {@code globalIndex} has ended without an event: no transaction that was open at
     * {@code seenAt} (from {@link #now()}) is open any more, and no event holds the index. False while it cannot tell:
     * a session it may not see (state hidden) counts as open.
     */
    public boolean rolledBack(long globalIndex, Instant seenAt) {
        Long open = jdbc.queryForObject(OPEN_SINCE, Long.class, OffsetDateTime.ofInstant(seenAt, ZoneOffset.UTC));
        if (open == null || open > 0) {
            return false;
        }
        // a statement of its own, so a snapshot taken after those transactions were seen ended: one that committed
        // just before is visible in it (a single statement's snapshot, taken at its start, could miss it)
        return !Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM domain_event_entry WHERE global_index = ?)", Boolean.class, globalIndex));
    }

    private boolean postgres() {
        Boolean known = postgres;
        if (known == null) {
            known = jdbc.execute((ConnectionCallback<Boolean>) connection -> connection.getMetaData()
                    .getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgresql"));
            postgres = known;
        }
        return known;
    }
}
