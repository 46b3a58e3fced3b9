package io.osprey.command.dispatch;

import io.osprey.events.validation.SettingRules;
import org.axonframework.common.lock.LockFactory;
import org.axonframework.common.lock.PessimisticLockFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The locks that run the commands on one aggregate one at a time on a node. A command holds its aggregate's lock for
 * milliseconds, unless the database stops answering: then every command queued behind it would wait its turn and
 * then its own statement timeout, the n-th answering after n of them (Axon's default gives up after 60 s with an
 * exception that was a 500). A command that waits longer than {@code osprey.command.lock-timeout} is refused
 * instead, a 503 {@code busy} that wrote nothing.
 */
@Configuration
public class AggregateLockConfiguration {

    public static final String BEAN = "aggregateLocks";
    private static final int ATTEMPT_MILLIS = 10;

    @Bean(BEAN)
    public LockFactory aggregateLocks(@Value("${osprey.command.lock-timeout:10s}") Duration timeout) {
        SettingRules.positive("osprey.command.lock-timeout", timeout);
        return PessimisticLockFactory.builder()
                .lockAttemptTimeout(ATTEMPT_MILLIS)
                .acquireAttempts((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis() / ATTEMPT_MILLIS)))
                .build();
    }
}
