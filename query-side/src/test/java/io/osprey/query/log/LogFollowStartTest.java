package io.osprey.query.log;

import io.osprey.query.QuerySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A follow answers its headers at once, before any line or heartbeat (an hour apart here), and a HEAD of a follow ends
 * with its headers instead of staying open as a follow does.
 */
class LogFollowStartTest {

    private static QuerySide querySide;
    private static HttpClient client;
    private static String followUrl;

    @BeforeAll
    static void start() {
        querySide = QuerySide.start("--osprey.logs.query.follow-heartbeat=1h");
        client = HttpClient.newHttpClient();
        followUrl = "http://127.0.0.1:" + querySide.bean(Environment.class).getProperty("local.server.port")
                + "/api/v1/main/logs/no-lines-yet/follow";
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void aFollowOfAnExecutionWithoutLinesAnswersItsHeadersAtOnce() throws IOException, InterruptedException {
        // the client's timeout covers the headers only: without them it fails, whatever comes later
        HttpResponse<java.io.InputStream> reply = client.send(HttpRequest.newBuilder(URI.create(followUrl))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream body = reply.body()) {
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
        }
    }

    @Test
    void aHeadOfAFollowEndsWithItsHeaders() throws IOException, InterruptedException {
        HttpResponse<String> reply = client.send(HttpRequest.newBuilder(URI.create(followUrl))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(reply.body()).isEmpty();
    }
}
