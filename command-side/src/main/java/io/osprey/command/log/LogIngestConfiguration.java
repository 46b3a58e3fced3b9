package io.osprey.command.log;

import io.osprey.events.store.ReadModelSchema;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Log ingest: its limits, its table of Idempotency-Keys (migrated after the event store, PostgreSQL or H2), and
 * the scheduling that purges expired keys.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LogIngestLimits.class)
@EnableScheduling
public class LogIngestConfiguration {

    @Bean
    public ReadModelSchema commandLogIdempotencySchema() {
        return new ReadModelSchema("command_log_idempotency", "classpath:db/command/log/{vendor}");
    }
}
