package io.osprey.events.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedFailuresTest {

    private final AtomicLong now = new AtomicLong();
    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    RepeatedFailuresTest() {
        RepeatedFailures filter = new RepeatedFailures(now::get);
        filter.start();
        context.addTurboFilter(filter);
        logged.setContext(context);
        logged.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logged);
    }

    @Test
    void aLibrarysFailureRepeatedWithinAMinuteIsLoggedOnce() {
        Logger axon = context.getLogger("org.axonframework.eventsourcing.eventstore.EmbeddedEventStore");
        for (int i = 0; i < 30; i++) {
            axon.error("Failed to read events from the underlying event storage", new SQLException("refused " + i));
            now.addAndGet(1_000_000_000L);
        }
        assertThat(logged.list).hasSize(1);

        now.addAndGet(RepeatedFailures.WINDOW_NANOS);
        axon.error("Failed to read events from the underlying event storage", new SQLException("refused again"));
        assertThat(logged.list).as("logged again a minute after").hasSize(2);
    }

    @Test
    void anotherFailureOrOneOfOspreysOwnIsLoggedEachTime() {
        Logger axon = context.getLogger("org.axonframework.eventsourcing.eventstore.EmbeddedEventStore");
        Logger osprey = context.getLogger("io.osprey.command.web.CommandProblemHandler");
        axon.error("Failed to read events from the underlying event storage", new SQLException("refused"));
        axon.error("Failed to read events from the underlying event storage", new IllegalStateException("a bug"));
        axon.warn("another message", new SQLException("refused"));
        axon.warn("without a stack trace");
        axon.warn("without a stack trace");
        osprey.error("command failed unexpectedly", new IllegalStateException("one"));
        osprey.error("command failed unexpectedly", new IllegalStateException("two"));

        assertThat(logged.list).hasSize(7);
    }
}
