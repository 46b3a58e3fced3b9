package io.osprey.command.log;

import io.osprey.events.validation.SettingRules;
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
        SettingRules.atLeast("osprey.logs.ingest.max-lines", 1, maxLines);
        SettingRules.atLeast("osprey.logs.ingest.max-bytes", 1, maxBytes.toBytes());
        SettingRules.atLeast("osprey.logs.ingest.max-message-length", 1, maxMessageLength);
        SettingRules.atLeast("osprey.logs.ingest.lines-per-event", 1, linesPerEvent);
        SettingRules.positive("osprey.logs.ingest.idempotency-window", idempotencyWindow);
        SettingRules.positive("osprey.logs.ingest.idempotency-purge-interval", idempotencyPurgeInterval);
    }
}
