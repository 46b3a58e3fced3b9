package io.osprey.command.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.command.CommandSide;
import io.osprey.events.EventSerialization;
import io.osprey.events.log.LogBatchAppended;
import io.osprey.events.log.LogBatchCodec;
import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import io.osprey.events.log.LogsDeleted;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.scheduling.config.ScheduledTaskHolder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Log ingest and deletion on a real command-side application and a fresh PostgreSQL database, over real HTTP. */
class LogCommandApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper EVENTS = EventSerialization.objectMapper();
    private static final String LOGS = "/api/v1/main/logs";
    private static final int LINES_PER_EVENT = 3;
    private static final int MAX_LINES = 20;
    private static final int MAX_BYTES = 32 * 1024;
    private static final int MAX_MESSAGE = 100;
    private static CommandSide commandSide;
    private static LogHttp http;
    private static HttpJson openApi;

    @BeforeAll
    static void start() throws Exception {
        commandSide = CommandSide.start(
                "--osprey.logs.ingest.lines-per-event=" + LINES_PER_EVENT,
                "--osprey.logs.ingest.max-lines=" + MAX_LINES,
                "--osprey.logs.ingest.max-bytes=" + MAX_BYTES + "B",
                "--osprey.logs.ingest.max-message-length=" + MAX_MESSAGE,
                "--osprey.logs.ingest.idempotency-purge-interval=300ms");
        String base = commandSide.baseUrl();
        http = new LogHttp(base);
        openApi = new HttpJson(base);
        // failures injected into the Idempotency-Key update, which runs after a batch's events are published
        execute("""
                CREATE FUNCTION log_key_hooks() RETURNS trigger AS $$
                BEGIN
                    IF NEW.idempotency_key LIKE 'fail-after-publish%' THEN
                        RAISE EXCEPTION 'injected failure after publish';
                    END IF;
                    IF NEW.idempotency_key LIKE 'held%' THEN
                        PERFORM pg_advisory_xact_lock(4242);
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql""");
        execute("CREATE TRIGGER log_key_hooks BEFORE UPDATE ON log_idempotency_keys FOR EACH ROW EXECUTE FUNCTION log_key_hooks()");
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    // ---- ingest ----

    @Test
    void aJsonArrayIsStoredInSlicesOfLinesPerEventWithThePositionOfTheLastOne() throws Exception {
        List<LogLine> lines = IntStream.range(0, 7).mapToObj(i -> line("exec-a", i)).collect(Collectors.toList());
        lines.set(4, new LogLine("company.team.sub", "etl", null, null, null, 0, "schedule", LogLevel.ERROR,
                Instant.parse("2026-11-26T09:00:00Z"), null, ""));
        lines.set(5, new LogLine("company.team", "etl", "exec-a", "load", "tr-9", 3, null, LogLevel.TRACE,
                Instant.parse("2026-11-26T10:00:00.123456789Z"), "worker-☃", "unicode ✓ é \"quoted\"\n\ttabbed"));

        Reply reply = http.post(LOGS, LogHttp.JSON, array(lines), "X-Request-Id", "req-logs-1", "X-Correlation-Id", "conv-logs");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        String batchId = body.get("batchId").asText();
        assertThat(body.get("lines").asInt()).isEqualTo(7);
        assertThat(body.get("events").asInt()).isEqualTo(3);
        List<Row<LogBatchAppended>> stored = batch(batchId);
        assertThat(stored).extracting(row -> row.event().slice()).containsExactly(0, 1, 2);
        assertThat(stored).extracting(row -> row.event().lineCount()).containsExactly(3, 3, 1);
        assertThat(stored).extracting(row -> row.event().firstLine()).containsExactly(0, 3, 6);
        assertThat(stored).allSatisfy(row -> assertThat(row.event().tenant()).isEqualTo("main"));
        List<LogLine> kept = new ArrayList<>(lines); // timestamps are kept to the microsecond
        kept.set(5, new LogLine("company.team", "etl", "exec-a", "load", "tr-9", 3, null, LogLevel.TRACE,
                Instant.parse("2026-11-26T10:00:00.123456Z"), "worker-☃", "unicode ✓ é \"quoted\"\n\ttabbed"));
        assertThat(stored.stream().flatMap(row -> LogBatchCodec.decode(row.event().encodedLines()).stream()).toList())
                .isEqualTo(kept);
        LogBatchAppended second = stored.get(1).event();
        assertThat(second.minTimestamp()).isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
        assertThat(second.maxTimestamp()).isEqualTo(lines.get(3).timestamp());
        long last = stored.get(2).position();
        assertThat(reply.header("Osprey-Position")).isEqualTo(Long.toString(last));
        assertThat(body.get("position").asLong()).isEqualTo(last);
        assertThat(stored).allSatisfy(row -> {
            assertThat(row.metadata().get("principal").asText()).isEqualTo("anonymous");
            assertThat(row.metadata().get("requestId").asText()).isEqualTo("req-logs-1");
            assertThat(row.metadata().get("correlationId").asText()).isEqualTo("conv-logs");
        });
    }

    @Test
    void ndjsonIsStoredLineForLineAndBlankLinesAreIgnored() throws Exception {
        List<LogLine> lines = IntStream.range(0, 4).mapToObj(i -> line("exec-nd", i)).toList();
        String ndjson = "\n" + json(lines.get(0)) + "\r\n" + json(lines.get(1)) + "\n\n   \n" + json(lines.get(2)) + "\n"
                + json(lines.get(3));

        Reply reply = http.post(LOGS, LogHttp.NDJSON + "; charset=utf-8", ndjson);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<Row<LogBatchAppended>> stored = batch(reply.json().get("batchId").asText());
        assertThat(stored).hasSize(2);
        assertThat(stored.stream().flatMap(row -> LogBatchCodec.decode(row.event().encodedLines()).stream()).toList())
                .isEqualTo(lines);
        assertThat(reply.header("Osprey-Position")).isEqualTo(Long.toString(stored.get(1).position()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing namespace     | namespace=       | [1].namespace     | required       | 2",
            "bad namespace         | namespace=a..b   | [1].namespace     | pattern        | 2",
            "long namespace        | namespace=LONG   | [1].namespace     | max-length     | 2",
            "bad flow id           | flowId=-f        | [1].flowId        | pattern        | 2",
            "missing flow id       | flowId=          | [1].flowId        | required       | 2",
            "no execution/trigger  | executionId=     | [1].executionId   | required       | 2",
            "bad execution id      | executionId=a.b  | [1].executionId   | pattern        | 2",
            "the search's id       | executionId=\"search\" | [1].executionId | reserved   | 2",
            "bad task id           | taskId=a/b       | [1].taskId        | pattern        | 2",
            "empty task run id     | taskRunId=\"\"   | [1].taskRunId     | pattern        | 2",
            "bad trigger id        | triggerId=x y    | [1].triggerId     | pattern        | 2",
            "negative attempt      | attemptNumber=-1 | [1].attemptNumber | min            | 2",
            "huge attempt          | attemptNumber=99999999999 | [1].attemptNumber | range | 2",
            "hugely negative attempt | attemptNumber=-9999999999 | [1].attemptNumber | range | 2",
            "string attempt        | attemptNumber=\"1\" | [1].attemptNumber | type        | 2",
            "unknown level         | level=\"VERBOSE\" | [1].level        | enum           | 2",
            "missing level         | level=           | [1].level         | required       | 2",
            "bad timestamp         | timestamp=\"yesterday\" | [1].timestamp | format      | 2",
            "empty fraction        | timestamp=\"2026-11-26T10:00:00.Z\" | [1].timestamp | format | 2",
            "empty fraction, offset | timestamp=\"2026-11-26T10:00:00.+01:00\" | [1].timestamp | format | 2",
            "numeric timestamp     | timestamp=1700000000 | [1].timestamp | type           | 2",
            "missing timestamp     | timestamp=       | [1].timestamp     | required       | 2",
            "long thread           | thread=LONG      | [1].thread        | max-length     | 2",
            "missing message       | message=         | [1].message       | required       | 2",
            "long message          | message=LONG     | [1].message       | max-length     | 2",
            "object message        | message={\"a\":1} | [1].message      | type           | 2",
            "unknown field         | msg=\"hi\"       | [1].msg           | unknown-field  | 2",
            "duplicate field       | level=\"INFO\",\"level\":\"WARN\" | [1].level | duplicate | 2",
    })
    void aBadLineRefusesTheWholeBatchNamingTheLineFieldAndRule(String title, String change, String field, String rule,
                                                               int line) {
        long before = eventCount();
        String bad = change(json(line("exec-bad", 1)), change);
        String body = "[" + json(line("exec-bad", 0)) + ",\n" + bad + ",\n" + json(line("exec-bad", 2)) + "]";

        Reply reply = http.post(LOGS, LogHttp.JSON, body);

        assertProblem(reply, 400, field, rule);
        assertThat(reply.json().get("line").asInt()).isEqualTo(line);
        assertThat(reply.json().at("/errors/0/line").asInt()).isEqualTo(line);
        assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo(field);
        assertThat(eventCount()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty body           | application/json     | EMPTY                      | body | required       | ",
            "empty array          | application/json     | []                         | body | min-items      | ",
            "object, not array    | application/json     | {}                         | body | type           | ",
            "trailing content     | application/json     | [] []                      | body | malformed-json | ",
            "malformed line       | application/json     | [GOOD,\\n{\"namespace\":}] | [1]  | malformed-json | 2",
            "not an object        | application/json     | [GOOD,\"text\"]            | [1]  | type           | 2",
            "blank ndjson         | application/x-ndjson | BLANK                      | body | required       | ",
            "two on a line       | application/x-ndjson | GOOD\\nGOOD GOOD            | [2]  | ndjson         | 3",
            "malformed ndjson     | application/x-ndjson | GOOD\\n\\nGOOD\\n{oops}       | [2]  | malformed-json | 3",
    })
    void aBadBodyIs400AndWritesNothing(String title, String contentType, String body, String field, String rule,
                                       Integer line) {
        long before = eventCount();
        String good = json(line("exec-body", 0));
        String text = switch (body) {
            case "EMPTY" -> "";
            case "BLANK" -> "\n\n  \n";
            default -> body.replace("\\n", "\n").replace("GOOD", good);
        };

        Reply reply = http.post(LOGS, contentType, text);

        assertProblem(reply, 400, field, rule);
        if (line == null) {
            assertThat(reply.json().has("line")).isFalse();
        } else {
            assertThat(reply.json().get("line").asInt()).isEqualTo(line);
        }
        assertThat(eventCount()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "overlong '/',                C0AF",
            "overlong NUL,                C080",
            "UTF-8 encoded surrogate,     EDA080",
            "past U+10FFFF,               F4908080",
            "lone high surrogate escape,  5C7564383030",
            "lone low surrogate escape,   5C7564633030"})
    void textThatIsNotWellFormedIs400AndWritesNothing(String title, String hex) {
        long before = eventCount();
        String good = json(line("exec-text", 0));
        String[] around = good.split("line 0", 2);
        byte[] body = concat(around[0].getBytes(StandardCharsets.UTF_8), HexFormat.of().parseHex(hex),
                around[1].getBytes(StandardCharsets.UTF_8));

        Reply reply = http.postChunked(LOGS, LogHttp.NDJSON, body);

        assertProblem(reply, 400, "body", "encoding");
        assertThat(eventCount()).isEqualTo(before);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    @Test
    void everyBadLineIsNamedInOneReply() {
        String body = "[" + change(json(line("e", 0)), "level=\"LOUD\"") + "," + json(line("e", 1)) + ","
                + change(json(line("e", 2)), "namespace=") + "]";

        Reply reply = http.post(LOGS, LogHttp.JSON, body);

        assertProblem(reply, 400, "[0].level", "enum");
        JsonNode errors = reply.json().get("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(1).get("field").asText()).isEqualTo("[2].namespace");
        assertThat(errors.get(1).get("line").asInt()).isEqualTo(3);
        assertThat(errors.get(1).get("message").asText()).startsWith("log line 3: ");
        assertThat(reply.json().get("detail").asText()).contains("(and 1 more)");
    }

    @Test
    void tooManyLinesIs413AndWritesNothing() {
        long before = eventCount();
        List<LogLine> lines = IntStream.range(0, MAX_LINES + 1).mapToObj(i -> line("exec-many", i)).toList();

        Reply reply = http.post(LOGS, LogHttp.JSON, array(lines));

        assertProblem(reply, 413, "body", "max-lines");
        assertThat(reply.json().get("limit").asInt()).isEqualTo(MAX_LINES);
        assertThat(eventCount()).isEqualTo(before);
        assertThat(http.post(LOGS, LogHttp.JSON, array(lines.subList(0, MAX_LINES))).status()).isEqualTo(200);
    }

    @Test
    void tooManyBytesIs413WhetherDeclaredOrStreamed() {
        long before = eventCount();
        // few lines, long padding: the byte limit, not the line limit, is what they break
        String padded = "[" + json(line("exec-big", 0)) + " ".repeat(MAX_BYTES) + "]";

        Reply declared = http.post(LOGS, LogHttp.JSON, padded);
        Reply streamed = http.postChunked(LOGS, LogHttp.JSON, padded.getBytes(StandardCharsets.UTF_8));

        assertProblem(declared, 413, "body", "max-bytes");
        assertProblem(streamed, 413, "body", "max-bytes");
        assertThat(streamed.json().get("limit").asLong()).isEqualTo(MAX_BYTES);
        assertThat(eventCount()).isEqualTo(before);
        String justUnder = "[" + json(line("exec-big", 0)) + "]";
        justUnder = justUnder + " ".repeat(MAX_BYTES - justUnder.getBytes(StandardCharsets.UTF_8).length);
        Reply fits = http.postChunked(LOGS, LogHttp.JSON, justUnder.getBytes(StandardCharsets.UTF_8));
        assertThat(fits.status()).as(fits.body()).isEqualTo(200);
    }

    @Test
    void anotherContentTypeIs415() {
        Reply reply = http.post(LOGS, "text/plain", json(line("e", 0)));

        assertProblem(reply, 415, "Content-Type", "supported-media-types");
        assertThat(reply.json().get("status").asInt()).isEqualTo(415);
    }

    @Test
    void aPathTomcatCannotDecodeIsAProblemToo() {
        Reply reply = http.post("/api/v1/main%2Fother/logs", LogHttp.JSON, array(List.of(line("e", 0))));

        assertProblem(reply, 400, "request", "http");
    }

    @Test
    void aBadTenantIs400BeforeTheBodyIsRead() {
        Reply reply = http.post("/api/v1/bad..tenant/logs", LogHttp.JSON, array(List.of(line("e", 0))));

        assertProblem(reply, 400, "tenant", "pattern");
    }

    // ---- idempotency ----

    @Test
    void aRetryWithTheSameKeyReplaysTheFirstReplyAndAppendsNothing() {
        String body = array(IntStream.range(0, 5).mapToObj(i -> line("exec-idem", i)).toList());
        Reply first = http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "batch-0001");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.header("Idempotency-Replayed")).isNull();
        long events = eventCount();

        Reply again = http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "batch-0001");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(again.header("Osprey-Position")).isEqualTo(first.header("Osprey-Position"));
        assertThat(again.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(batch(first.json().get("batchId").asText())).hasSize(2);

        Reply otherTenant = http.post("/api/v1/other/logs", LogHttp.JSON, body, "Idempotency-Key", "batch-0001");
        assertThat(otherTenant.status()).isEqualTo(200);
        assertThat(otherTenant.header("Idempotency-Replayed")).as("keys are per tenant").isNull();
        assertThat(otherTenant.json().get("batchId").asText()).isNotEqualTo(first.json().get("batchId").asText());
    }

    @Test
    void aKeyReusedWithAnotherBodyIs422AndWritesNothing() {
        String body = array(List.of(line("exec-reuse", 0)));
        assertThat(http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "reused-key").status()).isEqualTo(200);
        long events = eventCount();

        Reply reply = http.post(LOGS, LogHttp.JSON, array(List.of(line("exec-reuse", 1))), "Idempotency-Key", "reused-key");

        assertProblem(reply, 422, "Idempotency-Key", "idempotency-key-reused");
        assertThat(reply.json().get("type").asText()).isEqualTo("urn:osprey:problem:idempotency-key-reused");
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void aBadIdempotencyKeyIs400() {
        String body = array(List.of(line("exec-key", 0)));
        long before = eventCount();

        assertProblem(http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "k".repeat(201)), 400, "Idempotency-Key",
                "max-length");
        assertProblem(http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "a\tb"), 400, "Idempotency-Key", "pattern");
        // joined by the container into "aK,bK": a retry carrying one of them would write the batch again
        assertProblem(http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "aK", "Idempotency-Key", "bK"), 400,
                "Idempotency-Key", "duplicate");
        assertThat(eventCount()).isEqualTo(before);
        assertThat(http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "k".repeat(200)).status()).isEqualTo(200);
    }

    @Test
    void anExpiredKeyIsANewKey() {
        String body = array(List.of(line("exec-expired", 0), line("exec-expired", 1)));
        Reply first = http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "expiring");
        assertThat(first.status()).isEqualTo(200);
        age("expiring", Duration.ofHours(25));

        Reply again = http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "expiring");

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.header("Idempotency-Replayed")).isNull();
        assertThat(again.json().get("batchId").asText()).isNotEqualTo(first.json().get("batchId").asText());
        assertThat(again.json().get("position").asLong()).isGreaterThan(first.json().get("position").asLong());
        assertThat(batch(again.json().get("batchId").asText())).hasSize(1);
        Reply third = http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "expiring");
        assertThat(third.header("Idempotency-Replayed")).as("remembered again from its new use").isEqualTo("true");
        assertThat(third.json()).isEqualTo(again.json());
    }

    @Test
    void expiredKeysArePurgedOnASchedule() {
        assertThat(commandSide.app().getBean(ScheduledTaskHolder.class).getScheduledTasks())
                .anySatisfy(task -> assertThat(task.toString()).contains("IdempotencyKeys.purgeOnSchedule"));
        String body = array(List.of(line("exec-purge", 0)));
        assertThat(http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "purge-me").status()).isEqualTo(200);
        assertThat(http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "keep-me").status()).isEqualTo(200);
        age("purge-me", Duration.ofHours(25));

        await().atMost(Duration.ofSeconds(10)).until(() -> keyRows("purge-me") == 0);

        assertThat(keyRows("keep-me")).isEqualTo(1);
    }

    @Test
    void concurrentRetriesWithTheSameKeyAppendOnce() throws Exception {
        String body = array(IntStream.range(0, 4).mapToObj(i -> line("exec-race", i)).toList());
        long before = eventCount();
        int racers = 8;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Reply> replies = new ArrayList<>();
        try {
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "racing-key");
                }));
            }
            for (Future<Reply> future : futures) {
                replies.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).as(reply.body()).isEqualTo(200));
        assertThat(replies.stream().map(Reply::json).distinct()).hasSize(1);
        assertThat(replies.stream().filter(reply -> reply.header("Idempotency-Replayed") == null)).hasSize(1);
        assertThat(eventCount()).isEqualTo(before + 2);
    }

    @Test
    void aRetryArrivingWhileTheFirstIsUncommittedWaitsForItAndReplaysItsReply() throws Exception {
        String body = array(IntStream.range(0, 4).mapToObj(i -> line("exec-held", i)).toList());
        long before = eventCount();
        try (Connection lock = commandSide.database().connect(); Statement statement = lock.createStatement()) {
            // the first request's transaction stops after publishing its events, holding its key
            statement.execute("SELECT pg_advisory_lock(4242)");
            CompletableFuture<Reply> first = CompletableFuture.supplyAsync(() ->
                    http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "held-key"));
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting("advisory") == 1);
            CompletableFuture<Reply> retry = CompletableFuture.supplyAsync(() ->
                    http.post(LOGS, LogHttp.JSON, body, "Idempotency-Key", "held-key"));
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting("transactionid") == 1);
            assertThat(first).isNotDone();
            assertThat(retry).isNotDone();

            statement.execute("SELECT pg_advisory_unlock(4242)");

            Reply original = first.get();
            Reply replayed = retry.get();
            assertThat(original.status()).as(original.body()).isEqualTo(200);
            assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
            assertThat(replayed.json()).isEqualTo(original.json());
            assertThat(original.header("Idempotency-Replayed")).isNull();
            assertThat(replayed.header("Idempotency-Replayed")).isEqualTo("true");
        }
        assertThat(eventCount()).isEqualTo(before + 2);
    }

    // ---- one transaction ----

    @Test
    void aFailureAfterTheEventsArePublishedLeavesNothingStored() {
        List<LogLine> lines = IntStream.range(0, 7).mapToObj(i -> line("exec-fail", i)).toList();
        long before = eventCount();
        long head = maxGlobalIndex();

        Reply failed = http.post(LOGS, LogHttp.JSON, array(lines), "Idempotency-Key", "fail-after-publish-1");

        assertThat(failed.status()).as(failed.body()).isEqualTo(500);
        assertThat(failed.header("Content-Type")).startsWith("application/problem+json");
        assertThat(eventCount()).as("the three slices were rolled back").isEqualTo(before);
        assertThat(keyRows("fail-after-publish-1")).isZero();
        // the three slices had been inserted (they used up their global indexes) before the rollback
        Reply next = http.post(LOGS, LogHttp.JSON, array(lines));
        assertThat(next.status()).isEqualTo(200);
        assertThat(batch(next.json().get("batchId").asText()).get(0).position()).isGreaterThan(head + 3);
    }

    // ---- deletion ----

    @Test
    void deletingAnExecutionsLogsAppendsLogsDeleted() {
        Reply all = http.delete(LOGS + "/exec-gone");
        Reply attempt = http.delete(LOGS + "/exec-gone?taskId=load&taskRunId=tr-1&attempt=2");

        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(attempt.status()).as(attempt.body()).isEqualTo(200);
        Row<LogsDeleted> whole = deletion(all);
        assertThat(whole.event()).isEqualTo(new LogsDeleted("main", "exec-gone", null, null, null, null, null, null, null,
                whole.event().deletedAt()));
        assertThat(whole.event().deletedAt()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(
                Duration.ofMinutes(1)));
        Row<LogsDeleted> one = deletion(attempt);
        assertThat(one.event()).isEqualTo(new LogsDeleted("main", "exec-gone", "load", "tr-1", 2, null, null, null, null,
                one.event().deletedAt()));
    }

    @Test
    void deletingByRetentionCriteriaAppendsLogsDeleted() {
        Reply reply = http.delete(LOGS + "?namespace=company.team&flowId=etl&levels=WARN,trace&levels=Debug"
                + "&before=2026-11-01T00:00:00Z");
        Reply byLevel = http.delete(LOGS + "?levels=INFO");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        Row<LogsDeleted> deleted = deletion(reply);
        assertThat(deleted.event()).isEqualTo(new LogsDeleted("main", null, null, null, null, "company.team", "etl",
                List.of(LogLevel.TRACE, LogLevel.DEBUG, LogLevel.WARN), Instant.parse("2026-11-01T00:00:00Z"),
                deleted.event().deletedAt()));
        assertThat(deletion(byLevel).event().levels()).containsExactly(LogLevel.INFO);
        assertThat(deletion(byLevel).event().namespace()).isNull();
    }

    @Test
    void aMessagesLengthCountsCharactersNotUtf16Units() throws IOException {
        ObjectNode atTheLimit = (ObjectNode) JSON.readTree(json(line("exec-emoji", 0)));
        atTheLimit.put("message", "x".repeat(MAX_MESSAGE - 1) + "\uD83D\uDE00"); // 100 characters, 101 UTF-16 units
        ObjectNode over = atTheLimit.deepCopy();
        over.put("message", "\uD83D\uDE00".repeat(MAX_MESSAGE + 1));

        assertThat(http.post(LOGS, LogHttp.JSON, "[" + atTheLimit + "]").status()).isEqualTo(200);
        Reply refused = http.post(LOGS, LogHttp.JSON, "[" + over + "]");
        assertProblem(refused, 400, "[0].message", "max-length");
        assertThat(refused.json().get("detail").asText()).contains("got " + (MAX_MESSAGE + 1));
    }

    @Test
    void anUnknownFieldsNameIsNotEchoedWhole() {
        String name = "n".repeat(5_000); // within the request limits of this test, echoed four times over without the cut
        String body = "[" + json(line("exec-echo", 0)).replaceFirst("\\{", "{\"" + name + "\":1,") + "]";

        Reply refused = http.post(LOGS, LogHttp.JSON, body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("rule").asText()).isEqualTo("unknown-field");
        assertThat(refused.body().length()).isLessThan(2_000);
    }

    @Test
    void badDeletionsAre400AndWriteNothing() {
        long before = eventCount();

        assertProblem(http.delete(LOGS), 400, "criteria", "required");
        assertProblem(http.delete(LOGS + "?namespce=company"), 400, "namespce", "unknown-parameter");
        assertProblem(http.delete(LOGS + "?namespace=a..b"), 400, "namespace", "pattern");
        assertProblem(http.delete(LOGS + "?flowId=-x"), 400, "flowId", "pattern");
        assertProblem(http.delete(LOGS + "?levels=LOUD"), 400, "levels", "enum");
        assertProblem(http.delete(LOGS + "?levels=INFO,,WARN"), 400, "levels", "enum");
        assertProblem(http.delete(LOGS + "?before=yesterday"), 400, "before", "format");
        assertProblem(http.delete(LOGS + "?namespace=company&before=%2B10000-01-01T00:00:00Z"), 400, "before", "range");
        assertProblem(http.delete(LOGS + "/exec.1"), 400, "executionId", "pattern");
        assertProblem(http.delete(LOGS + "/exec-1?attempt=-1"), 400, "attempt", "min");
        assertProblem(http.delete(LOGS + "/exec-1?attempt=two"), 400, "attempt", "type");
        assertProblem(http.delete(LOGS + "/exec-1?attempt=%2B1"), 400, "attempt", "type");
        assertProblem(http.delete(LOGS + "/exec-1?attempt=%EF%BC%91"), 400, "attempt", "type"); // a fullwidth 1
        assertProblem(http.delete(LOGS + "/exec-1?attempt=%201"), 400, "attempt", "type");
        assertProblem(http.delete(LOGS + "/exec-1?attempt="), 400, "attempt", "type");
        assertProblem(http.delete(LOGS + "/exec-1?attempt=2147483648"), 400, "attempt", "range");
        assertProblem(http.delete(LOGS + "/search"), 400, "executionId", "reserved");
        assertProblem(http.delete(LOGS + "/exec-1?taskId=a.b"), 400, "taskId", "pattern");
        assertProblem(http.delete(LOGS + "/exec-1?taskRunId="), 400, "taskRunId", "pattern");
        assertProblem(http.delete(LOGS + "/exec-1?namespace=company"), 400, "namespace", "unknown-parameter");
        // criteria go in the query string: one sent as a body must not be ignored, deleting every line
        assertProblem(http.delete(LOGS + "/exec-1", "application/json", "{\"taskId\":\"drop\"}"),
                400, "body", "none");
        assertProblem(http.delete(LOGS + "?namespace=company", "application/x-www-form-urlencoded",
                "levels=DEBUG"), 400, "body", "none");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void theLogEndpointsAreDescribedInOpenApi() {
        JsonNode paths = openApi.get("/v3/api-docs").json().get("paths");

        assertThat(paths.at("/~1api~1v1~1{tenant}~1logs/post/requestBody/content").has("application/x-ndjson")).isTrue();
        assertThat(paths.at("/~1api~1v1~1{tenant}~1logs/delete").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1{tenant}~1logs~1{executionId}/delete").isMissingNode()).isFalse();
    }

    // ---- helpers ----

    private static LogLine line(String executionId, int i) {
        return new LogLine("company.team", "etl", executionId, "extract", "tr-" + (i % 2), i % 3, null,
                LogLevel.values()[i % 5], Instant.parse("2026-11-26T10:00:00Z").plusMillis(i * 1001L),
                "worker-1", "line " + i + " of " + executionId);
    }

    private static String json(LogLine line) {
        ObjectNode node = JSON.createObjectNode();
        node.put("namespace", line.namespace());
        node.put("flowId", line.flowId());
        if (line.executionId() != null) {
            node.put("executionId", line.executionId());
        }
        if (line.taskId() != null) {
            node.put("taskId", line.taskId());
        }
        if (line.taskRunId() != null) {
            node.put("taskRunId", line.taskRunId());
        }
        node.put("attemptNumber", line.attemptNumber());
        if (line.triggerId() != null) {
            node.put("triggerId", line.triggerId());
        }
        node.put("level", line.level().name());
        node.put("timestamp", line.timestamp().toString());
        if (line.thread() != null) {
            node.put("thread", line.thread());
        }
        node.put("message", line.message());
        return node.toString();
    }

    private static String array(List<LogLine> lines) {
        return lines.stream().map(LogCommandApiTest::json).collect(Collectors.joining(",", "[", "]"));
    }

    /**
     * Changes one field of a line's JSON: {@code name=} removes it, {@code name=LONG} makes it too long,
     * {@code name=raw JSON} replaces its value (a new field when absent).
     */
    private static String change(String json, String change) {
        int equals = change.indexOf('=');
        String name = change.substring(0, equals);
        String value = change.substring(equals + 1);
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            if (value.isEmpty()) {
                node.remove(name);
                return node.toString();
            }
            if (value.equals("LONG")) {
                node.put(name, "x".repeat(Math.max(MAX_MESSAGE, 200) + 1));
                return node.toString();
            }
            if (value.equals("a..b") || value.equals("-f") || value.equals("a.b") || value.equals("a/b")
                    || value.equals("x y")) {
                node.put(name, value);
                return node.toString();
            }
            node.remove(name);
            String rest = node.toString();
            return "{\"" + name + "\":" + value + (rest.equals("{}") ? "}" : "," + rest.substring(1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertProblem(Reply reply, int status, String field, String rule) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("field").asText()).as(reply.body()).isEqualTo(field);
        assertThat(reply.json().get("rule").asText()).as(reply.body()).isEqualTo(rule);
    }

    private record Row<T>(long position, T event, JsonNode metadata) {
    }

    private static List<Row<LogBatchAppended>> batch(String batchId) {
        return events(LogBatchAppended.class).stream().filter(row -> row.event().batchId().equals(batchId)).toList();
    }

    private static Row<LogsDeleted> deletion(Reply reply) {
        long position = Long.parseLong(reply.header("Osprey-Position"));
        assertThat(reply.json().get("position").asLong()).isEqualTo(position);
        List<Row<LogsDeleted>> found = events(LogsDeleted.class).stream().filter(row -> row.position() == position).toList();
        assertThat(found).as("a LogsDeleted at position " + position).hasSize(1);
        return found.get(0);
    }

    private static <T> List<Row<T>> events(Class<T> type) {
        List<Row<T>> rows = new ArrayList<>();
        try (Connection connection = commandSide.database().connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT global_index, payload, meta_data FROM domain_event_entry WHERE payload_type = ? ORDER BY global_index")) {
            statement.setString(1, type.getName());
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row<>(result.getLong(1), EVENTS.readValue(result.getBytes(2), type),
                            JSON.readTree(result.getBytes(3))));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static long eventCount() {
        return count("SELECT COUNT(*) FROM domain_event_entry");
    }

    private static long maxGlobalIndex() {
        return count("SELECT COALESCE(MAX(global_index), 0) FROM domain_event_entry");
    }

    private static long keyRows(String key) {
        return count("SELECT COUNT(*) FROM log_idempotency_keys WHERE idempotency_key = '" + key + "'");
    }

    /** Backends of this database waiting on a lock of the given kind (advisory, transactionid). */
    private static long waiting(String lockKind) {
        return count("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                + " AND wait_event = '" + lockKind + "'");
    }

    private static void age(String key, Duration by) {
        execute("UPDATE log_idempotency_keys SET created_at = created_at - INTERVAL '" + by.toHours() + " hours'"
                + " WHERE idempotency_key = '" + key + "'");
    }

    private static long count(String sql) {
        return commandSide.database().count(sql);
    }

    private static void execute(String sql) {
        commandSide.database().execute(sql);
    }
}
