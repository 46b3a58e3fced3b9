package io.osprey.command.dispatch;

import io.osprey.command.CommandSide;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.axonframework.commandhandling.CommandBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command whose transaction fails once its events are appended is answered by what the event store then holds:
 * written when the commit went through (the connection lost as the commit is acknowledged), refused with nothing
 * written when it did not.
 */
class CommitOutcomeTest {

    private enum Failure { NONE, AFTER_THE_COMMIT, BEFORE_THE_COMMIT }

    private static final AtomicReference<Failure> NEXT = new AtomicReference<>(Failure.NONE);
    private static CommandSide commandSide;
    private static HttpJson http;

    @BeforeAll
    static void start() {
        commandSide = CommandSide.start();
        http = new HttpJson(commandSide.baseUrl());
        commandSide.app().getBean(CommandBus.class).registerHandlerInterceptor((unitOfWork, chain) -> {
            Failure failure = NEXT.getAndSet(Failure.NONE);
            if (failure == Failure.AFTER_THE_COMMIT) {
                // Spring runs this once the database has committed, and its failure comes out of the commit
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        throw new DataAccessResourceFailureException("JDBC commit: the connection was lost");
                    }
                });
            } else if (failure == Failure.BEFORE_THE_COMMIT) {
                // commit handlers run last-registered first: this one before the transaction's
                unitOfWork.onCommit(u -> {
                    throw new DataAccessResourceFailureException("JDBC commit: the connection was lost");
                });
            }
            return chain.proceed();
        });
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    private static Reply create(String flowId) {
        return http.post("/api/v1/main/executions", "{\"namespace\":\"company.team\",\"flowId\":\"" + flowId
                + "\",\"flowRevision\":1}");
    }

    @Test
    void aCommandWhoseCommitWentThroughIsAnsweredAsWritten() {
        NEXT.set(Failure.AFTER_THE_COMMIT);
        Reply created = create("committed");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();

        NEXT.set(Failure.AFTER_THE_COMMIT);
        Reply labelled = http.post("/api/v1/main/executions/" + id + "/labels", "[{\"key\":\"k\",\"value\":\"v\"}]");
        assertThat(labelled.status()).as(labelled.body()).isEqualTo(200);

        assertThat(positions(id)).containsExactly(created.json().get("position").asLong(),
                labelled.json().get("position").asLong());
        assertThat(NEXT.get()).isEqualTo(Failure.NONE);
    }

    @Test
    void aCommandWhoseCommitDidNotGoThroughIs503AndWroteNothing() {
        String id = create("uncommitted").json().get("id").asText();

        NEXT.set(Failure.BEFORE_THE_COMMIT);
        Reply labelled = http.post("/api/v1/main/executions/" + id + "/labels", "[{\"key\":\"k\",\"value\":\"v\"}]");

        assertThat(labelled.status()).as(labelled.body()).isEqualTo(503);
        assertThat(labelled.json().get("detail").asText()).contains("nothing was written");
        assertThat(positions(id)).hasSize(1);
        assertThat(NEXT.get()).isEqualTo(Failure.NONE);
    }

    private static List<Long> positions(String executionId) {
        List<Long> positions = new ArrayList<>();
        try (Connection connection = commandSide.database().connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT global_index FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number")) {
            statement.setString(1, "main/executions/" + executionId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    positions.add(rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return positions;
    }
}
