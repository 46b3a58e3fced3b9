package io.osprey.command.api;

import io.osprey.testsupport.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
    private static ProxiedCommandSide commandSide;

    @BeforeAll
    static void start() throws Exception {
        commandSide = new ProxiedCommandSide(
                "--spring.datasource.hikari.data-source-properties.socketTimeout=" + SOCKET_TIMEOUT_SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    @Test
    void requestsWaitingOnADatabaseThatStoppedAnsweringGet503AndTheServiceRecovers() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest create = HttpRequest.newBuilder(URI.create(commandSide.baseUrl() + "/api/v1/main/executions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CREATE))
                // far above the socket timeout: a request still waiting then is one that hangs
                .timeout(Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS * 5)).build();
        AtomicInteger created = new AtomicInteger();
        AtomicBoolean frozen = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> whileFrozen = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        // four clients without pause, so that statements are on the wire when the database stops answering
        for (int i = 0; i < 4; i++) {
            running.add(clients.submit(() -> {
                while (!stop.get()) {
                    boolean sentFrozen = frozen.get();
                    String outcome;
                    try {
                        HttpResponse<String> reply = client.send(create, HttpResponse.BodyHandlers.ofString());
                        outcome = reply.statusCode() + " " + reply.headers().firstValue("Content-Type").orElse("");
                        if (reply.statusCode() == 201) {
                            created.incrementAndGet();
                        }
                    } catch (Exception e) {
                        outcome = e.getClass().getSimpleName();
                    }
                    if (frozen.get()) {
                        whileFrozen.add((sentFrozen ? "sent frozen: " : "in flight: ") + outcome);
                    }
                }
                return null;
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> created.get() >= 50);
            frozen.set(true);
            commandSide.freezeDatabase();
            // each client has its in-flight request answered, then at least two more
            await().atMost(Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS * 10L))
                    .until(() -> whileFrozen.stream().filter(outcome -> outcome.startsWith("sent frozen")).count() >= 8);
        } finally {
            stop.set(true);
            for (Future<?> each : running) {
                each.get(SOCKET_TIMEOUT_SECONDS * 10L, TimeUnit.SECONDS);
            }
            clients.shutdown();
        }
        assertThat(whileFrozen).allSatisfy(outcome -> assertThat(outcome).matches(
                "(in flight: 201 application/json|(in flight|sent frozen): 503 application/problem\\+json)"));

        // the held connections never come back (as after a long partition); new ones reach the database again
        commandSide.cutDatabase();
        commandSide.restoreDatabase();
        HttpJson http = new HttpJson(commandSide.baseUrl());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(http.post("/api/v1/main/executions", CREATE).status()).isEqualTo(201));
        assertThat(executionsCreated()).as("every acknowledged execution is stored").isGreaterThan(created.get());
    }

    private static long executionsCreated() throws SQLException {
        return commandSide.count("SELECT COUNT(*) FROM domain_event_entry WHERE payload_type LIKE '%ExecutionCreated'");
    }
}
