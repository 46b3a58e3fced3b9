package io.osprey.events.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Installs {@link RepeatedFailures} in Logback once the application's logging is set up (Spring Boot resets Logback's
 * context while it starts, which would drop a filter added before).
 */
@AutoConfiguration
@ConditionalOnClass(LoggerContext.class)
public class RepeatedFailuresAutoConfiguration {

    @Bean
    RepeatedFailuresInstaller repeatedFailuresInstaller() {
        return new RepeatedFailuresInstaller();
    }

    static final class RepeatedFailuresInstaller {
        RepeatedFailuresInstaller() {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback
                    && logback.getTurboFilterList().stream().noneMatch(RepeatedFailures.class::isInstance)) {
                RepeatedFailures filter = new RepeatedFailures();
                filter.setContext(logback);
                filter.start();
                logback.addTurboFilter(filter);
            }
        }
    }
}
