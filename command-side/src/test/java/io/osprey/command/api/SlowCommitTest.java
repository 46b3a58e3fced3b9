package io.osprey.command.api;

import io.osprey.command.CommandSide;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A COMMIT that outlasts the JDBC socket timeout (a stalled disk, a synchronous standby away; here a deferred trigger
 * waiting for a lock the test holds) fails on the client while PostgreSQL goes on committing. The write is answered
 * only once the database tells how it ended: written when it committed in time, and when it did not, a 503 that says
 * the outcome is unknown, never "nothing was written" about a write that is stored a moment later.
 */
class SlowCommitTest {

    private static final int SOCKET_TIMEOUT_SECONDS = 2;
    private static final long HOLD_LOCK = 4545;
    private static final String LOG_BATCH = "[{\"namespace\":\"company.team\",\"flowId\":\"slow\",\"executionId\":\"e1\","
            + "\"attemptNumber\":0,\"level\":\"INFO\",\"timestamp\":\"2026-12-07T10:00:00Z\",\"message\":\"slow\"}]";
    private static CommandSide commandSide;
    private static HttpJson http;

    @BeforeAll
    static void start() {
        commandSide = CommandSide.start(
                "--spring.datasource.hikari.data-source-properties.socketTimeout=" + SOCKET_TIMEOUT_SECONDS);
        http = new HttpJson(commandSide.baseUrl());
        HeldEvents.atCommit(commandSide.database(), "slow", HOLD_LOCK);
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    @Test
    void anExecutionWhoseCommitOutlastsTheSocketTimeoutIsAnsweredWhenItCommits() throws Exception {
        String create = "{\"namespace\":\"company.team\",\"flowId\":\"slow\",\"flowRevision\":1,\"id\":\"in-time\"}";
        writtenOnceTheCommitEnds("/api/v1/slow/executions", create, 201);
    }

    @Test
    void aLogBatchWhoseCommitOutlastsTheSocketTimeoutIsAnsweredWhenItCommits() throws Exception {
        writtenOnceTheCommitEnds("/api/v1/slow/logs", LOG_BATCH, 200);
    }

    @Test
    void aCommitStillRunningWhenTheCheckGivesUpIsAnOutcomeUnknownNotANothingWritten() throws Exception {
        String create = "{\"namespace\":\"company.team\",\"flowId\":\"slow\",\"flowRevision\":1,\"id\":\"stuck\"}";
        long before = slowEvents();
        Reply unknown;
        try (Connection holder = commandSide.database().connect(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + HOLD_LOCK + ")");
            unknown = http.post("/api/v1/slow/executions", create);
            assertThat(slowEvents()).as("not committed while the lock is held").isEqualTo(before);
            statement.execute("SELECT pg_advisory_unlock(" + HOLD_LOCK + ")");
        }

        assertThat(unknown.status()).as(unknown.body()).isEqualTo(503);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unknown.json().get("type").asText()).endsWith(":outcome-unknown");
        assertThat(unknown.json().get("detail").asText()).contains("read it before sending it again");
        await().atMost(Duration.ofSeconds(30)).until(() -> slowEvents() == before + 1);
        Reply read = http.post("/api/v1/slow/executions", create);
        assertThat(read.status()).as("the execution was stored after all: " + read.body()).isEqualTo(409);
    }

    /** While the lock is held past the socket timeout the write is not answered; released, it is answered as written. */
    private static void writtenOnceTheCommitEnds(String path, String body, int written) throws Exception {
        long before = slowEvents();
        Reply reply;
        try (Connection holder = commandSide.database().connect(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + HOLD_LOCK + ")");
            CompletableFuture<Reply> sent = CompletableFuture.supplyAsync(() -> http.post(path, body));
            await().atMost(Duration.ofSeconds(30)).until(() -> commandSide.database().count(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'"
                    + " AND query = 'COMMIT'") == 1);
            await().during(Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS + 1)).atMost(Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS + 3))
                    .until(() -> !sent.isDone());
            statement.execute("SELECT pg_advisory_unlock(" + HOLD_LOCK + ")");
            reply = sent.get(30, TimeUnit.SECONDS);
        }

        assertThat(reply.status()).as(reply.body()).isEqualTo(written);
        assertThat(slowEvents()).isEqualTo(before + 1);
    }

    private static long slowEvents() {
        return commandSide.database().count(
                "SELECT COUNT(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE '%\"tenant\":\"slow\"%'");
    }
}
