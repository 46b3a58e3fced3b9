package io.osprey.query.projection;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Tuning of the query side ({@code osprey.query.*}). The defaults live here, not in a YAML file, because
 * the standalone application runs this side with its own configuration.
 *
 * @param projectionBatchSize     events a projection applies per transaction (one token update per batch)
 * @param consistencyTimeout      how long a query that asks for a position waits for the projection to reach it
 * @param consistencyPollInterval how often a waiting query re-reads the projection's position when no batch
 *                                committed in this process signals it earlier (another node may be projecting)
 */
@ConfigurationProperties("osprey.query")
public record QueryProperties(Integer projectionBatchSize, Duration consistencyTimeout, Duration consistencyPollInterval) {

    public QueryProperties {
        projectionBatchSize = projectionBatchSize == null ? 100 : projectionBatchSize;
        consistencyTimeout = consistencyTimeout == null ? Duration.ofSeconds(5) : consistencyTimeout;
        consistencyPollInterval = consistencyPollInterval == null ? Duration.ofMillis(50) : consistencyPollInterval;
    }
}
