package io.osprey.query.projection;

import io.osprey.events.validation.SettingRules;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Tuning of the query side ({@code osprey.query.*}). The defaults live here, not in a YAML file, because
 * the standalone application runs this side with its own configuration.
 *
 * @param projectionBatchSize     events a projection applies per transaction (one token update per batch)
 * @param consistencyTimeout      how long a query that asks for a position waits for the projection to reach it
 * @param consistencyPollInterval how often a waiting query re-reads the projection's position when no batch
 *                                committed in this process signals it earlier (another node may be projecting)
 * @param socketWriteBuffer       the largest write to a client's socket, 8 KiB to 1 MiB; default 64 KiB. Tomcat
 *                                allocates it for every open connection and passes a download through it, so it
 *                                sets how many system calls a download costs
 */
@ConfigurationProperties("osprey.query")
public record QueryProperties(Integer projectionBatchSize, Duration consistencyTimeout, Duration consistencyPollInterval,
                              DataSize socketWriteBuffer) {

    private static final DataSize MIN_SOCKET_WRITE_BUFFER = DataSize.ofKilobytes(8);
    private static final DataSize MAX_SOCKET_WRITE_BUFFER = DataSize.ofMegabytes(1);

    public QueryProperties {
        projectionBatchSize = projectionBatchSize == null ? 100 : projectionBatchSize;
        consistencyTimeout = consistencyTimeout == null ? Duration.ofSeconds(5) : consistencyTimeout;
        consistencyPollInterval = consistencyPollInterval == null ? Duration.ofMillis(50) : consistencyPollInterval;
        socketWriteBuffer = socketWriteBuffer == null ? DataSize.ofKilobytes(64) : socketWriteBuffer;
        SettingRules.atLeast("osprey.query.projection-batch-size", 1, projectionBatchSize);
        SettingRules.notNegative("osprey.query.consistency-timeout", consistencyTimeout);
        SettingRules.positive("osprey.query.consistency-poll-interval", consistencyPollInterval);
        if (socketWriteBuffer.compareTo(MIN_SOCKET_WRITE_BUFFER) < 0 || socketWriteBuffer.compareTo(MAX_SOCKET_WRITE_BUFFER) > 0) {
            throw new IllegalArgumentException("osprey.query.socket-write-buffer must be between 8KB and 1MB, got "
                    + socketWriteBuffer);
        }
    }
}
