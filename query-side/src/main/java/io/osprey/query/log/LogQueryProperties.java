package io.osprey.query.log;

import io.osprey.events.validation.SettingRules;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Log queries ({@code osprey.logs.query.*}).
 *
 * @param followTimeout   longest a follow stays open (the client reconnects with {@code Last-Event-ID} semantics
 *                        of its own if it wants more)
 * @param followHeartbeat how often an idle follow sends a comment, so that proxies keep it and departed
 *                        clients are noticed
 * @param followSenders   how many follows are written to at once; a client that stops reading holds one sender
 *                        until the server's write timeout ends its follow, so this many such clients must stall
 *                        before the others wait
 */
@ConfigurationProperties("osprey.logs.query")
public record LogQueryProperties(Duration followTimeout, Duration followHeartbeat, Integer followSenders) {

    public LogQueryProperties {
        followTimeout = followTimeout == null ? Duration.ofHours(1) : followTimeout;
        followHeartbeat = followHeartbeat == null ? Duration.ofSeconds(15) : followHeartbeat;
        followSenders = followSenders == null ? 8 : followSenders;
        SettingRules.positive("osprey.logs.query.follow-timeout", followTimeout);
        SettingRules.positive("osprey.logs.query.follow-heartbeat", followHeartbeat);
        SettingRules.atLeast("osprey.logs.query.follow-senders", 1, followSenders);
    }
}
