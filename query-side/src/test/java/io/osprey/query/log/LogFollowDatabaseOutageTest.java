package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import io.osprey.query.QuerySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A log follow reads its lines from the index: it goes on through a database outage (it cannot tell meanwhile whether
 * the execution has ended) and sends the lines written after it, on the same connection.
 */
class LogFollowDatabaseOutageTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static QuerySide querySide;

    @BeforeAll
    static void start() throws Exception {
        querySide = QuerySide.startBehindAProxy("--osprey.logs.query.follow-heartbeat=200ms",
                "--spring.datasource.hikari.connection-timeout=500");
    }

    @AfterAll
    static void stop() throws Exception {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void aFollowGoesOnThroughADatabaseOutage() throws Exception {
        querySide.publish(batch("main", List.of(line("company.team", "through", "t", LogLevel.INFO, T0, "before"))));
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        AtomicInteger heartbeats = new AtomicInteger();
        String url = "http://127.0.0.1:" + querySide.bean(Environment.class).getProperty("local.server.port")
                + "/api/v1/main/logs/through/follow";
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofLines())
                .thenAcceptAsync(reply -> {
                    reply.body().forEach(text -> {
                        if (text.startsWith(":")) {
                            heartbeats.incrementAndGet();
                        } else if (text.startsWith("data:")) {
                            events.add(text);
                        }
                    });
                    events.add("closed");
                });
        assertThat(events.poll(30, TimeUnit.SECONDS)).contains("\"message\":\"before\"");

        querySide.databaseLink().cut();
        try {
            // each heartbeat is a round of the follow, which asked the database whether the execution is over
            int before = heartbeats.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> heartbeats.get() >= before + 3 || !events.isEmpty());
            assertThat(events).as("nothing but heartbeats during the outage").isEmpty();
        } finally {
            querySide.databaseLink().restore();
        }

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            querySide.publish(batch("main", List.of(line("company.team", "through", "t", LogLevel.INFO, T0.plusSeconds(1), "after"))));
            return true;
        });
        assertThat(events.poll(30, TimeUnit.SECONDS)).as("on the same connection").contains("\"message\":\"after\"");
    }
}
