package io.osprey.events.health;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * Every health indicator of an Osprey application answers within {@code osprey.health.timeout} (2 s), and a health
 * request within about that ({@link HealthChecks}): a probe of a node whose database or object store hangs gets DOWN
 * then instead of holding a server thread for the driver's timeout.
 */
@AutoConfiguration
@ConditionalOnClass(HealthIndicator.class)
public class HealthTimeLimitAutoConfiguration {

    static final String TIMEOUT = "osprey.health.timeout";

    @Bean
    public static BeanPostProcessor healthTimeLimit(Environment environment) {
        Duration limit = environment.getProperty(TIMEOUT, Duration.class, Duration.ofSeconds(2));
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException(TIMEOUT + " must be positive, got " + limit);
        }
        // a thread per check that runs; a hung check holds one until its driver gives up, and no second one
        HealthChecks checks = new HealthChecks(limit, Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "health-check");
            thread.setDaemon(true);
            return thread;
        }));
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof HealthIndicator indicator ? checks.boxed(indicator) : bean;
            }
        };
    }
}
