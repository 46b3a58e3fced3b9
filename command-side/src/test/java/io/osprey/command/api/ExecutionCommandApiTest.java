package io.osprey.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osprey.command.CommandSide;
import io.osprey.command.dispatch.AggregateLockConfiguration;
import io.osprey.events.EventSerialization;
import io.osprey.events.execution.ExecutionStateChanged;
import io.osprey.events.execution.State;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.axonframework.common.lock.Lock;
import org.axonframework.common.lock.LockFactory;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The command API of a real command-side application on a fresh PostgreSQL database, over real HTTP. */
class ExecutionCommandApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CommandSide commandSide;
    private static HttpJson http;

    private static final int MAX_BODY_BYTES = 64 * 1024;

    @BeforeAll
    static void start() throws Exception {
        commandSide = CommandSide.start(
                "--osprey.command.limits.max-labels=5",
                "--osprey.command.limits.max-values-bytes=2000",
                "--osprey.command.limits.max-body-bytes=" + MAX_BODY_BYTES,
                "--osprey.command.lock-timeout=2s");
        http = new HttpJson(commandSide.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    private static String create(String body) {
        Reply reply = http.post("/api/v1/main/executions", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    private static String createHello() {
        return create("{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}");
    }

    private static long eventCount() {
        try (Connection connection = commandSide.database().connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM domain_event_entry")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCommandWhoseExecutionStaysLockedIsA503ThatWritesNothing() {
        String id = createHello();
        String state = "/api/v1/main/executions/" + id + "/state";
        long before = eventCount();
        // what a command stuck on a database that stopped answering does to the commands behind it
        Lock held = commandSide.app().getBean(AggregateLockConfiguration.BEAN, LockFactory.class).obtainLock("main/executions/" + id);
        Reply refused;
        try {
            refused = http.post(state, "{\"state\":\"RUNNING\"}");
        } finally {
            held.release();
        }

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().get("type").asText()).endsWith(":busy");
        assertThat(eventCount()).isEqualTo(before);
        assertThat(http.post(state, "{\"state\":\"RUNNING\"}").status()).isEqualTo(200);
    }

    @Test
    void aParameterOrABodyACommandDoesNotReadIsRefusedNotIgnored() {
        String id = createHello();
        String base = "/api/v1/main/executions/" + id;
        assertThat(http.post(base + "/state", "{\"state\":\"RUNNING\"}").status()).isEqualTo(200);
        long before = eventCount();

        Reply withBody = http.post(base + "/kill", "{\"reason\":\"stuck\"}");
        Reply withChunkedBody = http.postChunked(base + "/kill", "{\"reason\":\"stuck\"}");
        Reply withParameter = http.post(base + "/state?force=true", "{\"state\":\"SUCCESS\"}");

        assertThat(withBody.status()).isEqualTo(400);
        assertThat(withBody.json().get("field").asText()).isEqualTo("body");
        assertThat(withBody.json().get("rule").asText()).isEqualTo("none");
        assertThat(withChunkedBody.status()).isEqualTo(400);
        assertThat(withParameter.status()).isEqualTo(400);
        assertThat(withParameter.json().get("field").asText()).isEqualTo("force");
        assertThat(withParameter.json().get("rule").asText()).isEqualTo("unknown-parameter");
        assertThat(eventCount()).isEqualTo(before);
        // an empty chunked body, as some clients send for no body, is no body
        assertThat(http.postChunked(base + "/kill", "").status()).isEqualTo(200);
    }

    @Test
    void aQuerySentToTheCommandSideIsAProblemSayingWhereQueriesGo() {
        String id = createHello();

        Reply read = http.get("/api/v1/main/executions/" + id);

        assertThat(read.status()).isIn(404, 405);
        assertThat(read.header("Content-Type")).startsWith("application/problem+json");
        assertThat(read.json().get("detail").asText()).contains("command side").contains("query side")
                .doesNotContain("static resource");
        Reply search = http.get("/api/v1/main/executions/search?namespace=company.team");
        assertThat(search.status()).isIn(404, 405);
        assertThat(search.json().get("detail").asText()).contains("queries are served by the query side");
    }

    @Test
    void createRepliesAfterCommitWithIdVersionAndPosition() {
        Reply reply = http.post("/api/v1/main/executions",
                "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":3,"
                        + "\"labels\":[{\"key\":\"env\",\"value\":\"prod\"}],\"inputs\":{\"n\":1,\"s\":\"x\"}}");

        assertThat(reply.status()).isEqualTo(201);
        JsonNode body = reply.json();
        assertThat(body.get("id").asText()).matches("[0-9A-Za-z]{22}");
        assertThat(body.get("version").asLong()).isZero();
        assertThat(reply.header("ETag")).isEqualTo("\"0\"");
        long position = Long.parseLong(reply.header("Osprey-Position"));
        assertThat(position).isEqualTo(body.get("position").asLong()).isPositive();
        assertThat(position).isLessThanOrEqualTo(maxGlobalIndex());
    }

    @Test
    void aClientMaySupplyTheIdOnceOnly() {
        String body = "{\"id\":\"my-run-1\",\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}";
        assertThat(create(body)).isEqualTo("my-run-1");
        long before = eventCount();

        Reply again = http.post("/api/v1/main/executions", body);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Content-Type")).startsWith("application/problem+json");
        assertThat(again.json().get("field").asText()).isEqualTo("id");
        assertThat(eventCount()).isEqualTo(before);
        // refused before its append took a global index: a gap there would hold every log follow for the gap timeout
        long head = maxGlobalIndex();
        Reply next = http.post("/api/v1/main/executions", "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}");
        assertThat(next.json().get("position").asLong()).isEqualTo(head + 1);
    }

    @Test
    void theLifecycleOfAnExecutionAndItsTaskRuns() {
        String id = createHello();
        String base = "/api/v1/main/executions/" + id;

        assertThat(http.post(base + "/state", "{\"state\":\"RUNNING\"}").json().get("version").asLong()).isEqualTo(1);
        Reply taskRun = http.post(base + "/taskruns", "{\"taskId\":\"extract\",\"value\":\"a\",\"iteration\":0}");
        assertThat(taskRun.status()).isEqualTo(201);
        String taskRunId = taskRun.json().get("taskRunId").asText();
        assertThat(http.post(base + "/taskruns/" + taskRunId + "/state", "{\"state\":\"RUNNING\"}").status()).isEqualTo(200);
        assertThat(http.put(base + "/taskruns/" + taskRunId + "/outputs", "{\"rows\":42}").status()).isEqualTo(200);
        assertThat(http.post(base + "/taskruns/" + taskRunId + "/state", "{\"state\":\"FAILED\"}").status()).isEqualTo(200);
        assertThat(http.post(base + "/state", "{\"state\":\"FAILED\"}").status()).isEqualTo(200);
        Reply restart = http.post(base + "/restart", null);
        assertThat(restart.status()).isEqualTo(200);
        assertThat(http.post(base + "/taskruns/" + taskRunId + "/state", "{\"state\":\"RUNNING\",\"attempt\":2}").status())
                .isEqualTo(200);
        assertThat(http.put(base + "/labels", "[{\"key\":\"team\",\"value\":\"data\"}]").status()).isEqualTo(200);
        assertThat(http.post(base + "/labels", "[{\"key\":\"env\",\"value\":\"dev\"}]").status()).isEqualTo(200);
        assertThat(http.put(base + "/variables", "{\"retries\":2}").status()).isEqualTo(200);
        assertThat(http.put(base + "/outputs", "{\"total\":42}").status()).isEqualTo(200);
        assertThat(http.post(base + "/kill", null).status()).isEqualTo(200);
        Reply killed = http.post(base + "/state", "{\"state\":\"KILLED\"}");

        assertThat(killed.status()).isEqualTo(200);
        assertThat(killed.json().get("version").asLong()).isEqualTo(14);
        assertThat(eventsOf(id)).containsExactly("ExecutionCreated", "ExecutionStateChanged", "TaskRunCreated",
                "TaskRunStateChanged", "TaskRunOutputsRecorded", "TaskRunStateChanged", "ExecutionStateChanged",
                "ExecutionRestarted", "TaskRunStateChanged", "ExecutionLabelsChanged", "ExecutionLabelsChanged",
                "ExecutionVariablesSet", "ExecutionOutputsRecorded", "ExecutionStateChanged", "ExecutionStateChanged");
    }

    @Test
    void anInvalidTransitionIs409NamingFromAndToAndWritesNothing() {
        String id = createHello();
        long before = eventCount();

        Reply reply = http.post("/api/v1/main/executions/" + id + "/state", "{\"state\":\"SUCCESS\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("from").asText()).isEqualTo("CREATED");
        assertThat(reply.json().get("to").asText()).isEqualTo("SUCCESS");
        assertFieldAndRule(reply, "state", "transition");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aJsonBodyOverItsLimitIs413WhetherItsLengthIsDeclaredOrNotAndWritesNothing() {
        String big = "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1,\"inputs\":{\"a\":\""
                + "x".repeat(MAX_BODY_BYTES) + "\"}}";
        long before = eventCount();

        for (Reply refused : List.of(http.post("/api/v1/main/executions", big),
                http.postChunked("/api/v1/main/executions", big))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(413);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("field").asText()).isEqualTo("body");
            assertThat(refused.json().get("rule").asText()).isEqualTo("max-size");
        }
        assertThat(eventCount()).isEqualTo(before);
        assertThat(http.postChunked("/api/v1/main/executions",
                "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}").status()).isEqualTo(201);
    }

    @Test
    void aStaleIfMatchIs412AndWritesNothing() {
        String id = createHello();
        String state = "/api/v1/main/executions/" + id + "/state";
        assertThat(http.post(state, "{\"state\":\"RUNNING\"}", "If-Match", "\"0\"").status()).isEqualTo(200);
        long before = eventCount();

        Reply stale = http.post(state, "{\"state\":\"SUCCESS\"}", "If-Match", "\"0\"");

        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().get("actualVersion").asLong()).isEqualTo(1);
        assertFieldAndRule(stale, "If-Match", "current-version");
        assertThat(eventCount()).isEqualTo(before);
        assertThat(http.post(state, "{\"state\":\"SUCCESS\"}", "If-Match", "\"1\"").status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad tenant            | /api/v1/bad tenant!/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1} | tenant | pattern",
            "bad namespace         | /api/v1/main/executions | {\"namespace\":\"a..b\",\"flowId\":\"f\",\"flowRevision\":1} | namespace | pattern",
            "long namespace        | /api/v1/main/executions | {\"namespace\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"flowId\":\"f\",\"flowRevision\":1} | namespace | max-length",
            "missing namespace     | /api/v1/main/executions | {\"flowId\":\"f\",\"flowRevision\":1} | namespace | required",
            "bad flow id           | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"-f\",\"flowRevision\":1} | flowId | pattern",
            "missing revision      | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\"} | flowRevision | required",
            "zero revision         | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":0} | flowRevision | min",
            "bad id                | /api/v1/main/executions | {\"id\":\"a/b\",\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1} | id | pattern",
            "bad label key         | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1,\"labels\":[{\"key\":\"1k\",\"value\":\"v\"}]} | labels[0].key | pattern",
            "empty label value     | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1,\"labels\":[{\"key\":\"k\",\"value\":\"\"}]} | labels[0].value | required",
            "too many labels       | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1,\"labels\":[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\",\"value\":\"1\"},{\"key\":\"c\",\"value\":\"1\"},{\"key\":\"d\",\"value\":\"1\"},{\"key\":\"e\",\"value\":\"1\"},{\"key\":\"f\",\"value\":\"1\"}]} | labels | max-items",
            "bad input name        | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1,\"inputs\":{\"a b\":1}} | inputs.a b | pattern",
            "malformed JSON        | /api/v1/main/executions | {\"namespace\": | body | malformed-json",
            "wrong type            | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":\"one\"} | flowRevision | type",
            "unknown field         | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1,\"flowRevison\":2} | flowRevison | unknown-field",
            "no body               | /api/v1/main/executions | | body | required",
            "fractional revision   | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1.5} | flowRevision | type",
            "revision out of range | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":2147483648} | flowRevision | range",
            "a field given twice   | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"namespace\":\"b\",\"flowRevision\":1} | namespace | duplicate",
            "an input given twice  | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1,\"inputs\":{\"n\":1,\"n\":2}} | inputs.n | duplicate",
            "a label key twice     | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1,\"labels\":[{\"key\":\"k\",\"value\":\"1\"},{\"key\":\"k\",\"value\":\"2\"}]} | labels[1].key | duplicate",
            "revision as a string  | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":\"1\"} | flowRevision | type",
            "revision in Arabic-Indic digits | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":\"\u0661\u0662\"} | flowRevision | type",
            "an attempt for an execution | /api/v1/main/executions/some-run/state | {\"state\":\"RUNNING\",\"attempt\":1} | attempt | unknown-field",
            "a number for a text   | /api/v1/main/executions | {\"namespace\":5,\"flowId\":\"f\",\"flowRevision\":1} | namespace | type",
            "a decimal for a text  | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":1.5,\"flowRevision\":1} | flowId | type",
            "a boolean for a text  | /api/v1/main/executions | {\"id\":true,\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1} | id | type",
            "a number as a label value | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1,\"labels\":[{\"key\":\"k\",\"value\":12}]} | labels[0].value | type",
            "an id the query API routes | /api/v1/main/executions | {\"id\":\"search\",\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1} | id | reserved",
            "an array for the body | /api/v1/main/executions | [1,2] | body | type",
            "a value after the body | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1}{} | body | malformed-json",
            "an object for a text  | /api/v1/main/executions | {\"namespace\":{\"a\":1},\"flowId\":\"f\",\"flowRevision\":1} | namespace | type",
            "a text for the labels | /api/v1/main/executions | {\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1,\"labels\":\"k:v\"} | labels | type",
    })
    void badInputIs400NamingTheFieldAndTheRuleAndWritesNothing(String title, String path, String body, String field,
                                                                  String rule) {
        long before = eventCount();

        Reply reply = http.post(path.replace(" ", "%20").replace("!", "%21"), body);

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("field").asText()).isEqualTo(field);
        assertThat(reply.json().get("rule").asText()).isEqualTo(rule);
        assertThat(reply.json().get("detail").asText()).as("speaks of JSON, not of the Java behind it")
                .doesNotContain("java.", "io.osprey", "Coercion", "`");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithTheTypeExpectedAndTheValueGiven() {
        Reply fraction = http.post("/api/v1/main/executions", "{\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1.5}");
        Reply tooLarge = http.post("/api/v1/main/executions", "{\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":2147483648}");
        Reply array = http.post("/api/v1/main/executions", "[1,2]");
        Reply deep = http.post("/api/v1/main/executions", "{\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1,\"inputs\":{\"x\":"
                + "[".repeat(2000) + "]".repeat(2000) + "}}");

        assertThat(fraction.json().get("detail").asText()).isEqualTo("flowRevision must be an integer; got the number 1.5");
        assertThat(tooLarge.json().get("detail").asText())
                .isEqualTo("flowRevision is out of range: an integer between -2147483648 and 2147483647; got the number 2147483648");
        assertThat(array.json().get("detail").asText()).isEqualTo("body must be an object; got an array");
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.json().get("rule").asText()).isEqualTo("limit");
        assertThat(deep.json().get("detail").asText()).startsWith("the JSON body exceeds a limit: ").doesNotContain("`", "()");
    }

    @Test
    void badInputOnAnExistingExecutionIs400AndWritesNothing() {
        String id = createHello();
        String base = "/api/v1/main/executions/" + id;
        long before = eventCount();

        assertProblem(http.post(base + "/state", "{\"state\":\"DONE\"}"), 400, "state", "enum");
        assertProblem(http.post(base + "/state", "{}"), 400, "state", "required");
        assertProblem(http.post(base + "/state", "{\"state\":\"RUNNING\"}", "If-Match", "yesterday"), 400, "If-Match", "version");
        assertProblem(http.post(base + "/taskruns", "{\"taskId\":\"\"}"), 400, "taskId", "required");
        assertProblem(http.post(base + "/taskruns", "{\"taskId\":\"t\",\"parentTaskRunId\":\"ghost\"}"), 400, "parentTaskRunId", "exists");
        assertProblem(http.post(base + "/taskruns", "{\"taskId\":\"t\",\"value\":\"a\\u0000b\"}"), 400, "value", "no-nul-character");
        // values under the inline threshold stay in the event, so their sum is what the limit applies to
        String inline = "x".repeat(900);
        assertProblem(http.put(base + "/variables", "{\"a\":\"" + inline + "\",\"b\":\"" + inline + "\",\"c\":\"" + inline
                + "\"}"), 400, "variables", "max-size");
        assertProblem(http.put(base + "/outputs", "{\"a b\":1}"), 400, "outputs.a b", "pattern");
        assertProblem(http.put(base + "/labels", "[{\"key\":\"k\",\"value\":\"a\\u0001b\"}]"), 400, "labels[0].value", "no-control-characters");
        assertProblem(http.post("/api/v1/main/executions/bad.id/kill", null), 400, "executionId", "pattern");
        assertProblem(http.post(base + "/taskruns/x/state", "{\"state\":\"RUNNING\",\"attempt\":0}"), 400, "attempt", "min");
        // -0.5 would have been truncated to 0, past the rule that iteration is not negative
        assertProblem(http.post(base + "/taskruns", "{\"taskId\":\"t\",\"iteration\":-0.5}"), 400, "iteration", "type");
        assertProblem(http.post(base + "/taskruns/x/state", "{\"state\":\"RUNNING\",\"attempt\":1.9}"), 400, "attempt", "type");
        assertProblem(http.put(base + "/labels", "[{\"key\":\"k\",\"value\":\"1\"},{\"key\":\"k\",\"value\":\"2\"}]"),
                400, "labels[1].key", "duplicate");
        assertProblem(http.post(base + "/labels", "[{\"key\":\"k\",\"value\":\"1\"},{\"key\":\"k\",\"value\":\"2\"}]"),
                400, "labels[1].key", "duplicate");
        assertProblem(http.post(base + "/labels", "[]"), 400, "labels", "min-items");
        // a body that is itself a map or a list: Jackson's findings are named from it, as the other rules name them
        assertProblem(http.put(base + "/variables", "{\"a\":1,\"a\":2}"), 400, "variables.a", "duplicate");
        assertProblem(http.put(base + "/taskruns/x/outputs", "{\"o\":{\"b\":1,\"b\":2}}"), 400, "outputs.o.b", "duplicate");
        assertProblem(http.put(base + "/labels", "[{\"key\":\"k\",\"value\":12}]"), 400, "labels[0].value", "type");
        for (String ifMatch : List.of("\"0", "0\"", "\"00\"", "\"0\", \"1\"", "W/0")) {
            assertProblem(http.post(base + "/state", "{\"state\":\"RUNNING\"}", "If-Match", ifMatch), 400, "If-Match", "version");
        }
        // conditions an endpoint does not evaluate: a client sending them would believe itself guarded
        assertProblem(http.post("/api/v1/main/executions", "{\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1}",
                "Idempotency-Key", "create-1"), 400, "Idempotency-Key", "not-supported");
        assertProblem(http.post(base + "/labels", "[{\"key\":\"k\",\"value\":\"1\"}]", "Idempotency-Key", "k"), 400,
                "Idempotency-Key", "not-supported");
        assertProblem(http.post(base + "/labels", "[{\"key\":\"k\",\"value\":\"1\"}]", "If-None-Match", "*"), 400,
                "If-None-Match", "not-supported");
        assertProblem(http.post(base + "/state", "{\"state\":\"RUNNING\"}", "If-Unmodified-Since",
                "Thu, 01 Jan 1970 00:00:00 GMT"), 400, "If-Unmodified-Since", "not-supported");
        assertProblem(http.post("/api/v1/main/executions", "{\"namespace\":\"a\",\"flowId\":\"f\",\"flowRevision\":1}",
                "If-Match", "\"0\""), 400, "If-Match", "not-supported");
        // the container drops ";x=y" from a segment before routing: this would act on the execution itself
        assertProblem(http.post(base + ";x=y/state", "{\"state\":\"RUNNING\"}"), 400, "path", "path-parameter");
        assertProblem(http.post("/api/v1/main;tenant=other/executions/" + id + "/state", "{\"state\":\"RUNNING\"}"),
                400, "path", "path-parameter");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aCommandRefusedOnAStateAnotherNodeHasMovedPastIsJudgedAgainOnTheStoredState() {
        String id = createHello(); // this node now holds version 0, CREATED, in its cache
        String aggregateId = "main/executions/" + id;
        // another command side moves it to RUNNING: this node's cache does not see it
        commandSide.app().getBean(TransactionTemplate.class).executeWithoutResult(status ->
                commandSide.app().getBean(EventStore.class).publish(new GenericDomainEventMessage<>("ExecutionAggregate",
                        aggregateId, 1, new ExecutionStateChanged("main", id, State.CREATED, State.RUNNING, Instant.now()))));

        Reply success = http.post("/api/v1/main/executions/" + id + "/state", "{\"state\":\"SUCCESS\"}");

        assertThat(success.status()).as(success.body()).isEqualTo(200);
        assertThat(success.json().get("version").asLong()).isEqualTo(2);
        assertThat(eventsOf(id)).containsExactly("ExecutionCreated", "ExecutionStateChanged", "ExecutionStateChanged");
    }

    @Test
    void ifMatchStarMatchesTheCurrentVersionAndAWeakenedTagItsVersion() {
        String id = createHello();
        String state = "/api/v1/main/executions/" + id + "/state";

        assertThat(http.post(state, "{\"state\":\"RUNNING\"}", "If-Match", "*").status()).isEqualTo(200);
        assertThat(http.post(state, "{\"state\":\"PAUSED\"}", "If-Match", "W/\"1\"").status()).isEqualTo(200);
        assertThat(http.post(state, "{\"state\":\"RUNNING\"}", "If-Match", "2").status()).isEqualTo(200);
        assertThat(eventsOf(id)).hasSize(4);
    }

    @Test
    void aJsonBodyIsReadAsUtf8WhateverCharsetItDeclares() throws Exception {
        for (String charset : List.of("ISO-8859-1", "windows-1252", "utf-16")) {
            Reply created = http.post("/api/v1/main/executions", "{\"namespace\":\"company.team\",\"flowId\":\"hello\","
                    + "\"flowRevision\":1,\"inputs\":{\"s\":\"été\"}}", "Content-Type", "application/json; charset=" + charset);
            assertThat(created.status()).as(charset + " " + created.body()).isEqualTo(201);

            JsonNode inputs = EventSerialization.objectMapper().readTree(payloadOf(created.json().get("id").asText(),
                    "ExecutionCreated")).get("inputs");
            assertThat(inputs.get("s").asText()).as(charset).isEqualTo("été");
        }
    }

    @Test
    void decimalsAreStoredAsSentNotRoundedToADouble() throws Exception {
        String pi = "3.14159265358979323846264338327950288";
        String id = create("{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1,"
                + "\"inputs\":{\"pi\":" + pi + ",\"huge\":1e400,\"tiny\":1e-400,\"price\":100.50}}");

        JsonNode inputs = EventSerialization.objectMapper().readTree(payloadOf(id, "ExecutionCreated")).get("inputs");

        assertThat(inputs.get("pi").toString()).isEqualTo(pi);
        assertThat(inputs.get("huge").decimalValue()).isEqualByComparingTo("1e400");
        assertThat(inputs.get("tiny").decimalValue()).isEqualByComparingTo("1e-400");
        assertThat(inputs.get("price").toString()).isEqualTo("100.50");
    }

    @Test
    void taskRunOutputsCannotChangeOnceTheExecutionHasEnded() {
        String id = createHello();
        String base = "/api/v1/main/executions/" + id;
        http.post(base + "/state", "{\"state\":\"RUNNING\"}");
        String taskRunId = http.post(base + "/taskruns", "{\"taskId\":\"t\"}").json().get("taskRunId").asText();
        assertThat(http.post(base + "/state", "{\"state\":\"SUCCESS\"}").status()).isEqualTo(200);
        long before = eventCount();

        assertProblem(http.put(base + "/taskruns/" + taskRunId + "/outputs", "{\"rows\":1}"), 409, "executionId",
                "execution-terminal");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void unknownExecutionsAndTaskRunsAre404(CapturedOutput log) {
        String id = createHello();
        long before = eventCount();

        Reply nobody = http.post("/api/v1/main/executions/nobody/kill", null);
        assertThat(nobody.status()).isEqualTo(404);
        assertFieldAndRule(nobody, "executionId", "exists");
        assertThat(http.post("/api/v1/other/executions/" + id + "/kill", null).status()).as("other tenant").isEqualTo(404);
        Reply ghost = http.post("/api/v1/main/executions/" + id + "/taskruns/ghost/state", "{\"state\":\"RUNNING\"}");
        assertThat(ghost.status()).isEqualTo(404);
        assertFieldAndRule(ghost, "taskRunId", "exists");
        assertThat(eventCount()).isEqualTo(before);
        // a client's mistake, answered: not a stack trace in the server's log for each one
        assertThat(log.getAll()).doesNotContain("AggregateNotFoundException");
    }

    private static void assertFieldAndRule(Reply reply, String field, String rule) {
        assertThat(reply.json().get("field").asText()).as(reply.body()).isEqualTo(field);
        assertThat(reply.json().get("rule").asText()).as(reply.body()).isEqualTo(rule);
    }

    @Test
    void racingClientsNeverLoseAnUpdate() throws Exception {
        String id = createHello();
        int threads = 8;
        int perThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Integer>> writers = IntStream.range(0, threads).<Callable<Integer>>mapToObj(t -> () -> {
                int ok = 0;
                for (int i = 0; i < perThread; i++) {
                    Reply reply = http.post("/api/v1/main/executions/" + id + "/taskruns",
                            "{\"taskId\":\"t" + t + "\",\"taskRunId\":\"r" + t + "-" + i + "\"}");
                    ok += reply.status() == 201 ? 1 : 0;
                }
                return ok;
            }).toList();
            int succeeded = 0;
            for (Future<Integer> result : pool.invokeAll(writers)) {
                succeeded += result.get();
            }
            assertThat(succeeded).isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
        assertThat(eventsOf(id)).hasSize(1 + threads * perThread);
        assertThat(sequenceNumbersOf(id)).isEqualTo(IntStream.rangeClosed(0, threads * perThread)
                .mapToObj(Long::valueOf).collect(Collectors.toList()));
    }

    @Test
    void ofTwoGuardedRacersExactlyOneWins() throws Exception {
        String id = createHello();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> racer = () -> http.post("/api/v1/main/executions/" + id + "/state",
                    "{\"state\":\"RUNNING\"}", "If-Match", "\"0\"").status();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : pool.invokeAll(List.of(racer, racer))) {
                statuses.add(result.get());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        } finally {
            pool.shutdownNow();
        }
        assertThat(eventsOf(id)).hasSize(2);
    }

    @Test
    void everyEventNamesItsPrincipalRequestAndCorrelation() throws Exception {
        Reply reply = http.post("/api/v1/main/executions",
                "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}",
                "X-Request-Id", "req-42", "X-Correlation-Id", "conv-7");
        String id = reply.json().get("id").asText();

        JsonNode metadata = JSON.readTree(metadataOf(id));

        assertThat(metadata.get("principal").asText()).isEqualTo("anonymous");
        assertThat(metadata.get("requestId").asText()).isEqualTo("req-42");
        assertThat(metadata.get("correlationId").asText()).isEqualTo("conv-7");
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        Reply health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(http.get("/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
        JsonNode paths = http.get("/v3/api-docs").json().get("paths");
        assertThat(paths.has("/api/v1/{tenant}/executions")).isTrue();
        assertThat(paths.has("/api/v1/{tenant}/executions/{executionId}/taskruns/{taskRunId}/state")).isTrue();
    }

    private static void assertProblem(Reply reply, int status, String field, String rule) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("field").asText()).as(reply.body()).isEqualTo(field);
        assertThat(reply.json().get("rule").asText()).as(reply.body()).isEqualTo(rule);
    }

    private static long maxGlobalIndex() {
        return queryLongs("SELECT MAX(global_index) FROM domain_event_entry").get(0);
    }

    private static List<String> eventsOf(String executionId) {
        List<String> types = new ArrayList<>();
        try (Connection connection = commandSide.database().connect();
             var statement = connection.prepareStatement(
                     "SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number")) {
            statement.setString(1, "main/executions/" + executionId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(1);
                    types.add(type.substring(type.lastIndexOf('.') + 1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return types;
    }

    private static List<Long> sequenceNumbersOf(String executionId) {
        return queryLongs("SELECT sequence_number FROM domain_event_entry WHERE aggregate_identifier = 'main/executions/"
                + executionId + "' ORDER BY sequence_number");
    }

    private static String payloadOf(String executionId, String eventType) throws SQLException {
        try (Connection connection = commandSide.database().connect();
             var statement = connection.prepareStatement("SELECT payload FROM domain_event_entry"
                     + " WHERE aggregate_identifier = ? AND payload_type LIKE ?")) {
            statement.setString(1, "main/executions/" + executionId);
            statement.setString(2, "%." + eventType);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new String(rows.getBytes(1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }

    private static String metadataOf(String executionId) throws SQLException {
        try (Connection connection = commandSide.database().connect();
             var statement = connection.prepareStatement(
                     "SELECT meta_data FROM domain_event_entry WHERE aggregate_identifier = ?")) {
            statement.setString(1, "main/executions/" + executionId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new String(rows.getBytes(1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }

    private static List<Long> queryLongs(String sql) {
        List<Long> values = new ArrayList<>();
        try (Connection connection = commandSide.database().connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

}
