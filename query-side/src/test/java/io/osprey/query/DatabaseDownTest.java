package io.osprey.query;

import io.osprey.testsupport.HttpJson.Reply;
import io.osprey.testsupport.RequestLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the database is unreachable, or stops answering, a query is refused with 503 (not 500, and without hanging),
 * and served again once it is back.
 */
class DatabaseDownTest {

    private static final int SOCKET_TIMEOUT_SECONDS = 3;

    private static QuerySide querySide;

    @BeforeAll
    static void start() throws Exception {
        querySide = QuerySide.startBehindAProxy("--spring.datasource.hikari.connection-timeout=1000",
                "--spring.datasource.hikari.data-source-properties.socketTimeout=" + SOCKET_TIMEOUT_SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void queriesAnswer503WhileTheDatabaseIsAway() {
        assertThat(querySide.http().get("/api/v1/main/executions/search").status()).isEqualTo(200);

        querySide.databaseLink().cut();
        try {
            for (String path : new String[]{"/api/v1/main/executions/search", "/api/v1/main/executions/abc", "/api/v1/projections"}) {
                Reply reply = querySide.http().get(path);
                assertThat(reply.status()).as(path + " " + reply.body()).isEqualTo(503);
                assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
                assertThat(reply.header("Retry-After")).isEqualTo("1");
            }
        } finally {
            querySide.databaseLink().restore();
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> querySide.http().get("/api/v1/main/executions/search").status() == 200);
    }

    @Test
    void queriesWaitingOnADatabaseThatStoppedAnsweringGet503() throws Exception {
        HttpRequest search = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/main/executions/search"))
                // far above the socket timeout: a request still waiting then is one that hangs
                .timeout(Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS * 5)).build();
        List<String> outcomes;
        try (RequestLoop load = new RequestLoop(4, search)) {
            outcomes = load.outcomesOf(querySide.databaseLink()::freeze, Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS * 10L));
        } finally {
            // the held connections never come back (as after a long partition); new ones reach the database again
            querySide.databaseLink().cut();
            querySide.databaseLink().restore();
        }
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).matches(
                "(in flight: 200 application/json|(in flight|sent after): 503 application/problem\\+json)"));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> querySide.http().get("/api/v1/main/executions/search").status() == 200);
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + querySide.webServer().getPort();
    }
}
