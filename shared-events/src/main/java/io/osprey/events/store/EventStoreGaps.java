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
 * before the next index was taken, so before the gap could be seen; that statement locked the event table (row
 * exclusive, from its parsing on) and its transaction keeps the lock until it ends. So once no transaction that began
 * before the gap was seen holds that lock, and no event holds {@code p}, none ever will (an identity gives no value
 * twice). A transaction that only reads (a pg_dump, a report) or writes other tables (a query side's projections)
 * holds nothing. Then a gap left by a lost race between command sides or by a refused append holds log follows back
 * for a moment, not for the gap timeout. Every user may read the locks; one that may not see when another user's
 * transaction began (it reads as null), or a prepared transaction (its locks belong to no session), counts as begun
 * before any gap. H2 cannot tell: there a gap is waited out.
 */
public class EventStoreGaps {

    /**
     * Of the transactions holding (or awaiting) the event table's row-exclusive lock, all but this session's: whether
     * the start of any is unknown to this user, and the earliest start (null: none holds it).
     */
    private static final String POSSIBLE_HOLDERS = """
            SELECT coalesce(bool_or(activity.xact_start IS NULL), false) AS unknown, min(activity.xact_start) AS since
            FROM pg_locks lock LEFT JOIN pg_stat_activity activity ON activity.pid = lock.pid
            WHERE lock.locktype = 'relation' AND lock.mode = 'RowExclusiveLock'
              AND lock.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND lock.relation = 'domain_event_entry'::regclass
              AND lock.pid IS DISTINCT FROM pg_backend_pid()""";

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
     * an event: no transaction begun before that time holds the event table's lock, and no event holds the index.
     * Two statements, whatever the number of gaps.
     */
    public Set<Long> rolledBack(Map<Long, Instant> seenAt) {
        if (seenAt.isEmpty()) {
            return Set.of();
        }
        PossibleHolders holders = possibleHolders();
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
        // a statement of its own, so a snapshot taken after those transactions were seen ended: one that committed
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

    /**
     * Whether a write begun before this time ({@link #now()}) may still append events: a transaction then begun holds
     * the event table's lock, or one whose start this user may not see. Every gap below an event stored before that
     * time is then either filled or left for good once this is false.
     */
    public boolean writesOpenSince(Instant mark) {
        PossibleHolders holders = possibleHolders();
        return holders == null || holders.unknown()
                || holders.since() != null && !holders.since().toInstant().isAfter(mark);
    }

    private PossibleHolders possibleHolders() {
        return jdbc.queryForObject(POSSIBLE_HOLDERS, (row, n) -> new PossibleHolders(
                row.getBoolean("unknown"), row.getObject("since", OffsetDateTime.class)));
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
