package io.osprey.query.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.events.EventSerialization;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.ExecutionStateChanged;
import io.osprey.events.execution.State;
import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Following an execution's logs over server-sent events with a real HTTP client. */
class LogFollowApiTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String END = "end";
    private static QuerySide querySide;
    private static HttpClient client;
    private static String baseUrl;

    @BeforeAll
    static void start() {
        querySide = QuerySide.start("--osprey.logs.query.follow-heartbeat=200ms");
        client = HttpClient.newHttpClient();
        baseUrl = "http://127.0.0.1:" + querySide.bean(Environment.class).getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    /** The events of one follow, as "log:<message>" and "end", in the order they arrive. */
    private static final class Follow {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final CompletableFuture<HttpResponse<Stream<String>>> response;

        Follow(String executionId) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/main/logs/" + executionId + "/follow"))
                    .header("Accept", "text/event-stream").build();
            response = client.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(reply -> {
                String[] event = {null};
                reply.body().forEach(text -> {
                    if (text.startsWith("event:")) {
                        event[0] = text.substring(6).trim();
                    } else if (text.startsWith("data:") && "log".equals(event[0])) {
                        JsonNode line = read(text.substring(5));
                        events.add("log:" + line.get("message").asText());
                    } else if (text.startsWith("data:") && END.equals(event[0])) {
                        events.add(END);
                    }
                });
                events.add("closed");
            });
        }

        List<String> take(int count) throws InterruptedException {
            List<String> taken = new ArrayList<>();
            while (taken.size() < count) {
                String event = events.poll(30, TimeUnit.SECONDS);
                assertThat(event).as("event %d of %d after %s", taken.size() + 1, count, taken).isNotNull();
                taken.add(event);
            }
            return taken;
        }
    }

    private static JsonNode read(String json) {
        try {
            return EventSerialization.objectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void log(String executionId, String... messages) {
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i < messages.length; i++) {
            lines.add(line("company.team", executionId, "t", LogLevel.INFO, T0.plusSeconds(i), messages[i]));
        }
        querySide.publish(batch("main", lines));
    }

    private static void execution(String executionId, State state) {
        querySide.append("main", executionId,
                new ExecutionCreated("main", executionId, "company.team", "flow", 1, List.of(), Map.of(), null, null, List.of(), T0),
                new ExecutionStateChanged("main", executionId, State.CREATED, state, T0));
    }

    @Test
    void sendsTheLinesSoFarThenNewOnesLiveThenEndsWhenTheExecutionIsTerminal() throws Exception {
        execution("live", State.RUNNING);
        log("live", "one", "two");
        Follow follow = new Follow("live");
        assertThat(follow.take(2)).containsExactly("log:one", "log:two");

        log("live", "three");
        log("other", "not mine");
        log("live", "four");
        assertThat(follow.take(2)).containsExactly("log:three", "log:four");

        log("live", "five");
        querySide.append("main", "live", new ExecutionStateChanged("main", "live", State.RUNNING, State.SUCCESS, T0));
        assertThat(follow.take(3)).containsExactly("log:five", END, "closed");
    }

    @Test
    void aTerminalExecutionsFollowSendsEverythingAndEnds() throws Exception {
        execution("done", State.FAILED);
        log("done", "a", "b", "c");
        Follow follow = new Follow("done");
        assertThat(follow.take(5)).containsExactly("log:a", "log:b", "log:c", END, "closed");
    }

    @Test
    void aClientThatLeavesIsForgotten() throws Exception {
        execution("left", State.RUNNING);
        log("left", "hello");
        LogFollowers followers = querySide.bean(LogFollowers.class);
        Follow follow = new Follow("left");
        assertThat(follow.take(1)).containsExactly("log:hello");
        assertThat(followers.count()).isPositive();

        follow.response.get().body().close();

        await().atMost(Duration.ofSeconds(10)).until(() -> followers.count() == 0);
    }
}
