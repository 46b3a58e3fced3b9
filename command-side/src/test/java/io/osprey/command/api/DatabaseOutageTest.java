package io.osprey.command.api;

import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PostgreSQL goes away under a running command side (a proxy cuts it off) and comes back. */
class DatabaseOutageTest {

    private static final String CREATE = "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}";
    private static ProxiedCommandSide commandSide;
    private static HttpJson http;

    @BeforeAll
    static void start() throws Exception {
        commandSide = new ProxiedCommandSide();
        http = new HttpJson(commandSide.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    @Test
    void commandsFailWith503WhileTheDatabaseIsDownAndSucceedAgainWithoutARestart() throws SQLException {
        String id = http.post("/api/v1/main/executions", CREATE).json().get("id").asText();
        long before = eventCount();

        commandSide.cutDatabase();
        try {
            for (String path : new String[]{"/api/v1/main/executions", "/api/v1/main/executions/" + id + "/state"}) {
                Reply reply = http.post(path, path.endsWith("state") ? "{\"state\":\"RUNNING\"}" : CREATE);
                assertThat(reply.status()).as(reply.body()).isEqualTo(503);
                assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
                assertThat(reply.header("Retry-After")).isEqualTo("1");
            }
        } finally {
            commandSide.restoreDatabase();
        }

        assertThat(eventCount()).as("nothing half-written").isEqualTo(before);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(http.post("/api/v1/main/executions/" + id + "/state", "{\"state\":\"RUNNING\"}").status())
                        .isEqualTo(200));
        assertThat(eventCount()).isEqualTo(before + 1);
    }

    private static long eventCount() throws SQLException {
        return commandSide.count("SELECT COUNT(*) FROM domain_event_entry");
    }
}
