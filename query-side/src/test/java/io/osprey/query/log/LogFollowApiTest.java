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
import org.apache.lucene.search.MatchAllDocsQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Following an execution's logs over server-sent events with a real HTTP client. */
@ExtendWith(OutputCaptureExtension.class)
class LogFollowApiTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String END = "end";
    /** Longer than any wait below: a gap these follows get past was told over by the database, not waited out. */
    private static final Duration GAP_TIMEOUT = Duration.ofSeconds(120);
    private static QuerySide querySide;
    private static HttpClient client;
    private static String baseUrl;

    @BeforeAll
    static void start() {
        // a write that waits 3 s fails, as a client that stops reading would have it; connections between requests
        // stay open as long as by default
        querySide = QuerySide.start("--osprey.logs.query.follow-heartbeat=200ms", "--server.tomcat.connection-timeout=3s",
                "--server.tomcat.keep-alive-timeout=60s", "--osprey.event-store.gap-timeout=" + GAP_TIMEOUT.toSeconds() + "s");
        client = HttpClient.newHttpClient();
        baseUrl = "http://127.0.0.1:" + querySide.bean(Environment.class).getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    /** The events of one follow, as "log:<message>" and "end", in the order they arrive; the ids of its log events. */
    private static final class Follow {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final List<String> ids = new CopyOnWriteArrayList<>();
        final CompletableFuture<HttpResponse<Stream<String>>> response;

        Follow(String executionId, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/main/logs/" + executionId + "/follow"))
                    .header("Accept", "text/event-stream");
            if (headers.length > 0) {
                request.headers(headers);
            }
            response = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(reply -> {
                String[] event = {null};
                reply.body().forEach(text -> {
                    if (text.startsWith("event:")) {
                        event[0] = text.substring(6).trim();
                    } else if (text.startsWith("id:")) {
                        ids.add(text.substring(3).trim());
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
    void aGapNoEventWillFillHoldsNoFollowBack() throws Exception {
        // what a command side that lost a race on an aggregate leaves: an index no event will ever take
        querySide.jdbc().queryForObject("SELECT nextval(pg_get_serial_sequence('domain_event_entry', 'global_index'))",
                Long.class);
        execution("aftergap", State.RUNNING);
        log("aftergap", "one");
        Follow follow = new Follow("aftergap");
        assertThat(follow.take(1)).containsExactly("log:one");

        querySide.append("main", "aftergap", new ExecutionStateChanged("main", "aftergap", State.RUNNING, State.FAILED, T0));
        assertThat(follow.take(2)).containsExactly(END, "closed");
    }

    @Test
    void aTransactionThatOnlyReadsHoldsNoFollowBack() throws Exception {
        execution("snapshot", State.RUNNING);
        Follow follow = new Follow("snapshot");
        Environment environment = querySide.bean(Environment.class);
        // what pg_dump keeps open while it copies the tables: a snapshot, on a session of its own
        try (Connection dump = DriverManager.getConnection(environment.getProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username"), environment.getProperty("spring.datasource.password"))) {
            dump.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            dump.setAutoCommit(false);
            try (Statement statement = dump.createStatement()) {
                statement.execute("SELECT count(*) FROM domain_event_entry");
            }
            querySide.jdbc().queryForObject("SELECT nextval(pg_get_serial_sequence('domain_event_entry', 'global_index'))",
                    Long.class);
            log("snapshot", "after the gap");

            assertThat(follow.take(1)).as("sent long before the gap timeout").containsExactly("log:after the gap");
            dump.rollback();
        }
    }

    /** A batch written in a transaction left open until {@link #end}: the index it takes is a gap until then. */
    private static final class OpenWrite {
        private final CountDownLatch written = new CountDownLatch(1);
        private final CountDownLatch ended = new CountDownLatch(1);
        private final AtomicBoolean commit = new AtomicBoolean();
        private final CompletableFuture<Void> done;

        OpenWrite(String executionId, String message) throws InterruptedException {
            done = CompletableFuture.runAsync(() -> querySide.bean(TransactionTemplate.class).executeWithoutResult(status -> {
                // written through the query side's pool, whose sessions are known to write no event: named as a
                // command side's would be
                querySide.jdbc().execute("SET LOCAL application_name = 'a-command-side'");
                querySide.publish(batch("main", List.of(line("company.team", executionId, "t", LogLevel.INFO, T0, message))));
                written.countDown();
                try {
                    assertThat(ended.await(60, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (!commit.get()) {
                    status.setRollbackOnly();
                }
            }));
            assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
        }

        void end(boolean commitIt) throws Exception {
            commit.set(commitIt);
            ended.countDown();
            done.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWriteStillOpenHoldsFollowsBackUntilItRollsBack() throws Exception {
        execution("rolledback", State.RUNNING);
        log("rolledback", "before");
        Follow follow = new Follow("rolledback");
        assertThat(follow.take(1)).containsExactly("log:before");
        OpenWrite open = new OpenWrite("rolledback", "never");

        log("rolledback", "after");

        assertThat(follow.events.poll(2, TimeUnit.SECONDS)).as("held back behind the open write").isNull();
        open.end(false);
        assertThat(follow.take(1)).containsExactly("log:after");
    }

    @Test
    void aWriteCommittedLateIsSentInItsPlace() throws Exception {
        execution("late", State.RUNNING);
        Follow follow = new Follow("late");
        OpenWrite open = new OpenWrite("late", "first");
        log("late", "second");
        assertThat(follow.events.poll(2, TimeUnit.SECONDS)).as("held back behind the open write").isNull();

        open.end(true);

        assertThat(follow.take(2)).containsExactly("log:first", "log:second");
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
        assertThat(followers.following("main", "left")).isEqualTo(1);

        follow.response.get().body().close();

        await().atMost(Duration.ofSeconds(10)).until(() -> followers.following("main", "left") == 0);
    }

    @Test
    void aClientThatReconnectsWithTheLastEventIdResumesAfterThatLine() throws Exception {
        execution("resumed", State.RUNNING);
        log("resumed", "one", "two", "three");
        Follow first = new Follow("resumed");
        assertThat(first.take(3)).containsExactly("log:one", "log:two", "log:three");
        first.response.get().body().close();

        Follow resumed = new Follow("resumed", "Last-Event-ID", first.ids.get(1));
        assertThat(resumed.take(1)).containsExactly("log:three");
        log("resumed", "four");
        assertThat(resumed.take(1)).containsExactly("log:four");
        assertThat(resumed.events).isEmpty();
        resumed.response.get().body().close();
    }

    @Test
    void aLastEventIdPastEveryLineFollowsFromThere() throws Exception {
        execution("past-the-end", State.SUCCESS);
        log("past-the-end", "sent before");

        Follow follow = new Follow("past-the-end", "Last-Event-ID", Long.toString(Long.MAX_VALUE));

        assertThat(follow.take(1)).containsExactly(END);
    }

    @Test
    void theIdTheSearchIsRoutedAtIsNoExecutionToFollowOrDownload() throws Exception {
        for (String path : List.of("/api/v1/main/logs/search/follow", "/api/v1/main/logs/search/download")) {
            HttpResponse<String> reply = client.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(path).isEqualTo(400);
            JsonNode problem = read(reply.body());
            assertThat(problem.get("field").asText()).isEqualTo("executionId");
            assertThat(problem.get("rule").asText()).isEqualTo("reserved");
        }
    }

    @Test
    void aLastEventIdThatIsNoEventIdIsRefusedByName() throws Exception {
        for (String id : List.of("x", "-2", "1.5")) {
            HttpResponse<String> reply = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/main/logs/e/follow"))
                    .header("Accept", "text/event-stream").header("Last-Event-ID", id).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(id).isEqualTo(400);
            assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = read(reply.body());
            assertThat(problem.get("field").asText()).isEqualTo("Last-Event-ID");
            assertThat(problem.get("rule").asText()).isEqualTo("event-id");
        }
    }

    @Test
    void aClientThatStopsReadingDoesNotHoldUpTheOtherFollowsAndIsDroppedAtTheWriteTimeout(CapturedOutput output)
            throws Exception {
        execution("unread", State.RUNNING);
        // 20 MB: far more than the server's send buffer and the client's receive buffer hold, so the write blocks
        String text = "x".repeat(10_000);
        for (int batch = 0; batch < 20; batch++) {
            log("unread", Collections.nCopies(100, text).toArray(String[]::new));
        }
        execution("read", State.RUNNING);
        log("read", "before");
        try (Socket unread = new Socket()) {
            unread.setReceiveBufferSize(4096);
            unread.connect(new InetSocketAddress("127.0.0.1", querySide.webServer().getPort()));
            unread.getOutputStream().write(("GET /api/v1/main/logs/unread/follow HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // the follow has begun sending once its first bytes arrive; from here on nothing more is read
            assertThat(unread.getInputStream().read()).isNotNegative();

            Follow read = new Follow("read");
            assertThat(read.take(1)).containsExactly("log:before");
            log("read", "live");
            assertThat(read.take(1)).containsExactly("log:live");
            read.response.get().body().close();

            // the client is still connected, but the write it blocked fails after the timeout and ends its follow
            await().atMost(Duration.ofSeconds(30)).until(() -> querySide.bean(LogFollowers.class).following("main", "unread") == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("the client's connection failed"));
            assertThat(output.getOut()).as("a client's failure is no error of the server").doesNotContain(" ERROR ");
        }
    }

    @Test
    void aStreamTheContainerEndedUnderTheSenderDoesNotStopTheOtherFollows() throws Exception {
        execution("ended", State.RUNNING);
        log("ended", "line");
        LogFollowers followers = querySide.bean(LogFollowers.class);
        // what the sender meets when the container has ended a request after the client left: Tomcat refuses
        // any use of the request from another thread
        SseEmitter endedByTheContainer = new SseEmitter() {
            @Override
            public void send(SseEventBuilder event) {
                throw new IllegalStateException("ResponseBodyEmitter has already completed");
            }

            @Override
            public void completeWithError(Throwable failure) {
                throw new IllegalStateException("A non-container (application) thread attempted to use the AsyncContext");
            }
        };
        followers.follow("main", "ended", new MatchAllDocsQuery(), -1, endedByTheContainer);
        await().atMost(Duration.ofSeconds(10)).until(() -> followers.following("main", "ended") == 0);

        Follow other = new Follow("ended");
        assertThat(other.take(1)).containsExactly("log:line");
        other.response.get().body().close();
    }
}
