package io.osprey.query.log;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Log queries ({@code osprey.logs.query.*}).
 *
 * @param followTimeout   longest a follow stays open (the client reconnects with {@code Last-Event-ID} semantics
 *                        of its own if it wants more)
 * @param followHeartbeat how often an idle follow sends a comment, so that proxies keep it and departed
 *                        clients are noticed
 */
@ConfigurationProperties("osprey.logs.query")
public record LogQueryProperties(Duration followTimeout, Duration followHeartbeat) {

    public LogQueryProperties {
        followTimeout = followTimeout == null ? Duration.ofHours(1) : followTimeout;
        followHeartbeat = followHeartbeat == null ? Duration.ofSeconds(15) : followHeartbeat;
    }
}
