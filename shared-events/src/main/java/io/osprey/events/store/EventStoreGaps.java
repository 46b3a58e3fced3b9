package io.osprey.events.store;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a gap in the global index that will never be filled from one that an open transaction may still fill, on
 * PostgreSQL. The write that took index {@code p} took it in the statement inserting its event (an identity column),
 * before the next index was taken, so before the gap could be seen. Once no session that may hold {@code p} is left
 * and no event holds it, none ever will (an identity gives no value twice). A session may hold it if its transaction
 * has written (it has a transaction id) and began before the gap was seen, or if the statement it is running began
 * before then (the insert may be taking its index now); a read-only transaction between statements (a pg_dump, a
 * report) holds nothing. Then a gap left by a lost race between command sides or by a refused append holds log follows
 * back for a moment, not for the gap timeout. H2 cannot list open transactions, and nor can a database user that may
 * not see other users' sessions (their state and type read as null, and count as open): there a gap is waited out.
 * Osprey writes without two-phase commit (PostgreSQL's default allows no prepared transaction), so every transaction
 * that may hold an index belongs to a session.
 */
public class EventStoreGaps {

    /**
     * The name query sides give their connections ({@code ApplicationName} in query-side.yml): they never append
     * events, so their transactions (projection batches, reads) cannot fill a gap and hold none back.
     */
    public static final String QUERY_SIDE_APPLICATION = "osprey-query-side";

    /**
     * Of this database's sessions that may append events (not autovacuum, walsenders or query sides): whether any hides
     * its state from this user (null) or does not track it ({@code disabled}), and the earliest time from which one may
     * hold an index (null: none may): its transaction's start if it has written, else its running statement's start.
     */
    private static final String POSSIBLE_HOLDERS = """
            SELECT coalesce(bool_or(state IS NULL OR state = 'disabled'), false) AS unknown,
                   min(CASE WHEN backend_xid IS NOT NULL THEN xact_start
                            WHEN state IN ('active', 'fastpath function call') THEN query_start END) AS since
            FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND (backend_type = 'client backend' OR backend_type IS NULL)
              AND application_name IS DISTINCT FROM '%s'""".formatted(QUERY_SIDE_APPLICATION);

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
     * Of these gaps, each with the time {@link #now()} gave when it was first seen, those whose write has ended without
     * an event: no session that may have taken the index before that time may still hold it, and no event holds it.
     * None while it cannot tell (a session it may not see). Two statements, whatever the number
     * of gaps.
     */
    public Set<Long> rolledBack(Map<Long, Instant> seenAt) {
        if (seenAt.isEmpty()) {
            return Set.of();
        }
        PossibleHolders holders = jdbc.queryForObject(POSSIBLE_HOLDERS, (row, n) -> new PossibleHolders(
                row.getBoolean("unknown"), row.getObject("since", OffsetDateTime.class)));
        if (holders == null || holders.unknown()) {
            return Set.of();
        }
        Instant holdingSince = holders.since() == null ? null : holders.since().toInstant();
        Long[] ended = seenAt.entrySet().stream()
                .filter(gap -> holdingSince == null || holdingSince.isAfter(gap.getValue()))
                .map(Map.Entry::getKey).toArray(Long[]::new);
        if (ended.length == 0) {
            return Set.of();
        }
        // a statement of its own, so a snapshot taken after those sessions were seen done: one that committed
        // just before is visible in it (a single statement's snapshot, taken at its start, could miss it)
        List<Long> stored = jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "SELECT global_index FROM domain_event_entry WHERE global_index = ANY (?)");
            statement.setArray(1, connection.createArrayOf("bigint", ended));
            return statement;
        }, (row, n) -> row.getLong(1));
        Set<Long> rolledBack = new HashSet<>(List.of(ended));
        stored.forEach(rolledBack::remove);
        return rolledBack;
    }

    private record PossibleHolders(boolean unknown, OffsetDateTime since) {
    }

    private boolean postgres() {
        Boolean known = postgres;
        if (known == null) {
            known = DatabaseVendor.of(jdbc) == DatabaseVendor.POSTGRESQL;
            postgres = known;
        }
        return known;
    }
}
