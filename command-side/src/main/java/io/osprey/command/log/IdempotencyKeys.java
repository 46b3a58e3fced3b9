package io.osprey.command.log;

import io.osprey.events.validation.Violations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The {@code Idempotency-Key}s of log batches, per tenant, in {@code log_idempotency_keys}: the SHA-256 of the
 * body each was first used with and the reply it got. A key is taken in the batch's own transaction, before its
 * events, so that a concurrent request with the same key waits for that transaction and then finds the reply.
 * Keys are remembered for {@code osprey.logs.ingest.idempotency-window}; older ones count as new, and a scheduled
 * purge removes them.
 */
@Component
public class IdempotencyKeys {

    static final int MAX_LENGTH = 200;
    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

    private final JdbcTemplate jdbc;
    private final LogIngestLimits limits;
    private final Clock clock = Clock.systemUTC();

    public IdempotencyKeys(JdbcTemplate jdbc, LogIngestLimits limits) {
        this.jdbc = jdbc;
        this.limits = limits;
    }

    /** What a key was first used for. */
    record Stored(String sha256, LogIngestReply reply) {
    }

    /** Another request took the key first (and committed); its transaction is rolled back. */
    static final class KeyTaken extends RuntimeException {
        KeyTaken(Throwable cause) {
            super("the Idempotency-Key was taken by a concurrent request", cause);
        }
    }

    /** Checks an {@code Idempotency-Key} header (absent is fine): 1 to 200 printable ASCII characters. */
    public static void check(Violations v, String field, String key) {
        if (key == null) {
            return;
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            v.add(field, "max-length", field + " must be 1 to " + MAX_LENGTH + " characters, got " + key.length());
            return;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                v.add(field, "pattern", field + " must hold printable ASCII characters only");
                return;
            }
        }
    }

    /** The key's first use, unless it is older than the window. */
    Optional<Stored> find(String tenant, String key) {
        List<Stored> found = jdbc.query("SELECT request_sha256, batch_id, line_count, event_count, event_position"
                        + " FROM log_idempotency_keys WHERE tenant = ? AND idempotency_key = ? AND created_at >= ?"
                        + " AND event_position IS NOT NULL",
                (row, n) -> new Stored(row.getString(1), new LogIngestReply(row.getString(2), row.getInt(3),
                        row.getInt(4), row.getLong(5))),
                tenant, key, cutoff());
        return found.stream().findFirst();
    }

    /**
     * Takes the key, in the batch's transaction and before its events; a holder older than the window is dropped
     * first. When a concurrent transaction holds the key, this waits for it: after its commit it fails with
     * {@link KeyTaken} (the caller rolls back and answers with the stored reply); after its rollback it succeeds.
     */
    void claim(String tenant, String key, String sha256, LogIngestReply reply) {
        jdbc.update("DELETE FROM log_idempotency_keys WHERE tenant = ? AND idempotency_key = ? AND created_at < ?",
                tenant, key, cutoff());
        try {
            jdbc.update("INSERT INTO log_idempotency_keys (tenant, idempotency_key, request_sha256, batch_id, line_count,"
                            + " event_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    tenant, key, sha256, reply.batchId(), reply.lines(), reply.events(), now());
        } catch (DuplicateKeyException taken) {
            throw new KeyTaken(taken);
        }
    }

    /** Records the position the batch reached, in the same transaction, after its events. */
    void complete(String tenant, String key, long position) {
        int updated = jdbc.update("UPDATE log_idempotency_keys SET event_position = ? WHERE tenant = ? AND idempotency_key = ?",
                position, tenant, key);
        if (updated != 1) {
            throw new IllegalStateException("the Idempotency-Key taken by this transaction is gone");
        }
    }

    /** Removes the keys older than the window; returns how many. */
    public int purgeExpired() {
        return jdbc.update("DELETE FROM log_idempotency_keys WHERE created_at < ?", cutoff());
    }

    @Scheduled(fixedDelayString = "${osprey.logs.ingest.idempotency-purge-interval:" + LogIngestLimits.DEFAULT_PURGE_INTERVAL + "}",
            initialDelayString = "${osprey.logs.ingest.idempotency-purge-interval:" + LogIngestLimits.DEFAULT_PURGE_INTERVAL + "}")
    void purgeOnSchedule() {
        try {
            int purged = purgeExpired();
            if (purged > 0) {
                log.debug("purged {} expired log Idempotency-Keys", purged);
            }
        } catch (DataAccessException e) {
            log.warn("could not purge expired log Idempotency-Keys, will retry: {}", e.toString());
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private OffsetDateTime cutoff() {
        return now().minus(limits.idempotencyWindow());
    }
}
