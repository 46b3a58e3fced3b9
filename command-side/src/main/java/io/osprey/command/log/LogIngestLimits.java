package io.osprey.command.log;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Limits and tuning of log ingest ({@code osprey.logs.ingest.*}). The defaults live here rather than in a YAML
 * file so that the standalone application gets them too.
 *
 * @param maxLines                  log lines in one request; more is a 413
 * @param maxBytes                  bytes of one request body, counted as they are read; more is a 413
 * @param maxMessageLength          characters of one line's message; more is a 400 naming the line
 * @param linesPerEvent             a batch is cut into slices of at most this many lines, one
 *                                  {@code LogBatchAppended} event each
 * @param idempotencyWindow         how long an {@code Idempotency-Key} is remembered; older keys count as new
 * @param idempotencyPurgeInterval  how often expired keys are removed from {@code log_idempotency_keys}
 */
@ConfigurationProperties("osprey.logs.ingest")
public record LogIngestLimits(Integer maxLines, DataSize maxBytes, Integer maxMessageLength, Integer linesPerEvent,
                              Duration idempotencyWindow, Duration idempotencyPurgeInterval) {

    /** The default of {@link #idempotencyPurgeInterval}, also read by the purge's schedule. */
    static final String DEFAULT_PURGE_INTERVAL = "10m";

    public LogIngestLimits {
        maxLines = maxLines == null ? 10_000 : maxLines;
        maxBytes = maxBytes == null ? DataSize.ofMegabytes(16) : maxBytes;
        maxMessageLength = maxMessageLength == null ? 65_536 : maxMessageLength;
        linesPerEvent = linesPerEvent == null ? 1_000 : linesPerEvent;
        idempotencyWindow = idempotencyWindow == null ? Duration.ofHours(24) : idempotencyWindow;
        idempotencyPurgeInterval = idempotencyPurgeInterval == null ? Duration.ofMinutes(10) : idempotencyPurgeInterval;
        positive("max-lines", maxLines);
        positive("max-bytes", maxBytes.toBytes());
        positive("max-message-length", maxMessageLength);
        positive("lines-per-event", linesPerEvent);
        positive("idempotency-window", idempotencyWindow.toMillis());
        positive("idempotency-purge-interval", idempotencyPurgeInterval.toMillis());
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("osprey.logs.ingest." + name + " must be positive, got " + value);
        }
    }
}
