package io.osprey.command.log;

import io.osprey.command.api.ProxiedCommandSide;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PostgreSQL goes away under log ingest and deletion (a proxy cuts it off) and comes back. */
class LogDatabaseOutageTest {

    private static final String BATCH = "[{\"namespace\":\"company.team\",\"flowId\":\"etl\",\"executionId\":\"e1\","
            + "\"level\":\"INFO\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"message\":\"hello\"}]";
    private static ProxiedCommandSide commandSide;
    private static LogHttp http;

    @BeforeAll
    static void start() throws Exception {
        commandSide = new ProxiedCommandSide();
        http = new LogHttp(commandSide.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    @Test
    void logRequestsFailWith503WhileTheDatabaseIsDownAndSucceedAgainWithoutARestart() throws SQLException {
        assertThat(http.post("/api/v1/main/logs", LogHttp.JSON, BATCH).status()).isEqualTo(200);
        long before = commandSide.count("SELECT COUNT(*) FROM domain_event_entry");

        commandSide.cutDatabase();
        try {
            assertUnavailable(http.post("/api/v1/main/logs", LogHttp.JSON, BATCH));
            assertUnavailable(http.post("/api/v1/main/logs", LogHttp.NDJSON, BATCH.substring(1, BATCH.length() - 1),
                    "Idempotency-Key", "during-outage"));
            assertUnavailable(http.delete("/api/v1/main/logs/e1"));
            assertUnavailable(http.delete("/api/v1/main/logs?namespace=company"));
        } finally {
            commandSide.restoreDatabase();
        }

        assertThat(commandSide.count("SELECT COUNT(*) FROM domain_event_entry")).as("nothing half-written").isEqualTo(before);
        assertThat(commandSide.count("SELECT COUNT(*) FROM log_idempotency_keys")).isZero();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(http.post("/api/v1/main/logs", LogHttp.JSON, BATCH, "Idempotency-Key", "during-outage").status())
                        .isEqualTo(200));
        assertThat(http.delete("/api/v1/main/logs/e1").status()).isEqualTo(200);
        assertThat(commandSide.count("SELECT COUNT(*) FROM domain_event_entry")).isEqualTo(before + 2);
        assertThat(commandSide.count("SELECT COUNT(*) FROM log_idempotency_keys")).isEqualTo(1);
    }

    private static void assertUnavailable(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.header("Retry-After")).isEqualTo("1");
    }
}
