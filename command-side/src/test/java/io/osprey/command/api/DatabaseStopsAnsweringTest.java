package io.osprey.command.api;

import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.RequestLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL stops answering under load (a proxy holds every byte and keeps the connections open, as a paused
 * server or a network that drops packets): the statements waiting on it end at the driver's socket timeout,
 * and every request gets a 503 instead of hanging; once the database is back, requests succeed without a restart.
 */
class DatabaseStopsAnsweringTest {

    private static final String CREATE = "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}";
    private static final int SOCKET_TIMEOUT_SECONDS = 3;
    private static final Duration HEALTH_TIMEOUT = Duration.ofMillis(500);
    private static ProxiedCommandSide commandSide;

    @BeforeAll
    static void start() throws Exception {
        commandSide = new ProxiedCommandSide(
                "--spring.datasource.hikari.data-source-properties.socketTimeout=" + SOCKET_TIMEOUT_SECONDS,
                "--osprey.health.timeout=" + HEALTH_TIMEOUT.toMillis() + "ms");
    }

    @AfterAll
    static void stop() throws Exception {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    @Test
    void requestsWaitingOnADatabaseThatStoppedAnsweringGet503AndTheServiceRecovers() throws Exception {
        HttpRequest create = HttpRequest.newBuilder(URI.create(commandSide.baseUrl() + "/api/v1/main/executions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CREATE))
                // far above the socket timeout: a request still waiting then is one that hangs
                .timeout(Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS * 5)).build();
        HttpClient client = HttpClient.newHttpClient();
        List<String> outcomes;
        int created;
        try (RequestLoop load = new RequestLoop(4, create)) {
            outcomes = load.outcomesOf(commandSide::freezeDatabase, Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS * 10L));
            created = load.succeeded();
        }
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).matches(
                "(in flight: 201 application/json|(in flight|sent after): 503 application/problem\\+json)"));

        HttpRequest health = HttpRequest.newBuilder(URI.create(commandSide.baseUrl() + "/actuator/health"))
                // under the socket timeout: an answer at all is the health check's own limit at work
                .timeout(Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS - 1)).build();
        for (int asked = 0; asked < 3; asked++) {
            HttpResponse<String> down = client.send(health, HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"db\":{\"status\":\"DOWN\"", "no answer within PT0.5S");
        }

        // the held connections never come back (as after a long partition); new ones reach the database again
        commandSide.cutDatabase();
        commandSide.restoreDatabase();
        HttpJson http = new HttpJson(commandSide.baseUrl());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(http.post("/api/v1/main/executions", CREATE).status()).isEqualTo(201));
        assertThat(executionsCreated()).as("every acknowledged execution is stored").isGreaterThan(created);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                client.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200));
    }

    private static long executionsCreated() throws SQLException {
        return commandSide.count("SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE '%ExecutionCreated'");
    }
}
