package io.osprey.events.store;

import com.zaxxer.hikari.HikariDataSource;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A write whose events would commit later than half the gap timeout after their date is rolled back, on PostgreSQL. */
class CommitDeadlineTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration GAP_TIMEOUT = Duration.ofSeconds(60);

    private static TestDatabase database;
    private static HikariDataSource pool;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;
    private final CommitDeadline deadline = new CommitDeadline(GAP_TIMEOUT, Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeAll
    static void start() {
        database = TestPostgres.createDatabase();
        pool = new HikariDataSource();
        pool.setJdbcUrl(database.url());
        pool.setUsername(database.user());
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(2);
        jdbc = new JdbcTemplate(pool);
        jdbc.execute("CREATE TABLE written (id VARCHAR(36) PRIMARY KEY)");
        transactions = new TransactionTemplate(new JdbcTransactionManager(pool));
    }

    @AfterAll
    static void stop() {
        pool.close();
        database.close();
    }

    private static EventMessage<?> datedAgo(Duration ago) {
        return new GenericEventMessage<>(UUID.randomUUID().toString(), "payload", MetaData.emptyInstance(), NOW.minus(ago));
    }

    /** Writes a row and publishes the events through the interceptor, in one transaction; returns the row's id. */
    private String write(TransactionTemplate in, List<EventMessage<?>> events) {
        String id = UUID.randomUUID().toString();
        in.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO written (id) VALUES (?)", id);
            deadline.handle(events);
        });
        return id;
    }

    private static boolean stored(String id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM written WHERE id = ?", Integer.class, id) == 1;
    }

    @Test
    void eventsCommittedWithinHalfTheGapTimeoutOfTheirDateCommit() {
        String id = write(transactions, List.of(datedAgo(Duration.ofSeconds(29)), datedAgo(Duration.ofSeconds(1))));

        assertThat(stored(id)).isTrue();
    }

    @Test
    void aWriteWhoseEarliestEventIsOlderThanHalfTheGapTimeoutAtItsCommitIsRolledBack() {
        String id = UUID.randomUUID().toString();
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO written (id) VALUES (?)", id);
            deadline.handle(List.of(datedAgo(Duration.ofSeconds(1))));
            deadline.handle(List.of(datedAgo(Duration.ofSeconds(31))));
        })).isInstanceOf(AppendTooLateException.class).hasMessageContaining("31000 ms").hasMessageContaining("30000 ms");

        assertThat(stored(id)).as("nothing of the write").isFalse();
    }

    @Test
    void aTransactionOfItsOwnInsideAnotherIsCheckedOnItsOwnEvents() {
        TransactionTemplate inner = new TransactionTemplate(transactions.getTransactionManager());
        inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        String[] innerId = new String[1];

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            deadline.handle(List.of(datedAgo(Duration.ofMinutes(5))));
            innerId[0] = write(inner, List.of(datedAgo(Duration.ofSeconds(2))));
        })).isInstanceOf(AppendTooLateException.class);

        assertThat(stored(innerId[0])).as("its own events were on time").isTrue();
    }

    @Test
    void aTransactionThatPublishesNoEventIsNotChecked() {
        String id = write(transactions, List.of());

        assertThat(stored(id)).isTrue();
    }

    @Test
    void eventsPublishedOutsideASpringTransactionPassUntouched() {
        EventMessage<?> old = datedAgo(Duration.ofMinutes(5));

        // no transaction to register with: the storage engine appends them in its own
        assertThat(deadline.handle(List.of(old)).apply(0, old)).isSameAs(old);
    }
}
