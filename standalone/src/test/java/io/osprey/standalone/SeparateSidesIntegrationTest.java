package io.osprey.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Executions across the two separate sides: they meet only in the event store, as in production. */
class SeparateSidesIntegrationTest {

    @TempDir
    static Path blobRoot;
    private static SeparateSides sides;
    private static HttpJson commands;
    private static HttpJson queries;

    @BeforeAll
    static void start() {
        sides = new SeparateSides(blobRoot);
        commands = new HttpJson(sides.commandUrl());
        queries = new HttpJson(sides.queryUrl());
    }

    @AfterAll
    static void stop() {
        if (sides != null) {
            sides.close();
        }
    }

    private static Reply created(String namespace, String flowId, String labels) {
        Reply reply = commands.post("/api/v1/main/executions", "{\"namespace\":\"" + namespace + "\",\"flowId\":\""
                + flowId + "\",\"flowRevision\":2,\"labels\":" + labels + ",\"inputs\":{\"size\":3}}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply;
    }

    private static Reply ok(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(200, 201);
        return reply;
    }

    private static JsonNode readAt(String executionId, Reply lastCommand) {
        Reply view = queries.get("/api/v1/main/executions/" + executionId + "?position=" + lastCommand.header("Osprey-Position"));
        assertThat(view.status()).as(view.body()).isEqualTo(200);
        assertThat(view.header("Osprey-Position-Reached")).isEqualTo("true");
        return view.json();
    }

    @Test
    void aWrittenExecutionIsReadBackAtTheCommandsPosition() {
        String id = created("company.team", "etl", "[{\"key\":\"env\",\"value\":\"prod\"}]").json().get("id").asText();
        String base = "/api/v1/main/executions/" + id;
        ok(commands.post(base + "/state", "{\"state\":\"RUNNING\"}"));
        String taskRunId = ok(commands.post(base + "/taskruns", "{\"taskId\":\"extract\"}")).json().get("taskRunId").asText();
        ok(commands.post(base + "/taskruns/" + taskRunId + "/state", "{\"state\":\"RUNNING\"}"));
        ok(commands.put(base + "/taskruns/" + taskRunId + "/outputs", "{\"rows\":7}"));
        ok(commands.post(base + "/taskruns/" + taskRunId + "/state", "{\"state\":\"SUCCESS\"}"));
        Reply last = ok(commands.post(base + "/state", "{\"state\":\"SUCCESS\"}"));

        JsonNode execution = readAt(id, last);

        assertThat(execution.get("id").asText()).isEqualTo(id);
        assertThat(execution.get("namespace").asText()).isEqualTo("company.team");
        assertThat(execution.get("flowId").asText()).isEqualTo("etl");
        assertThat(execution.get("flowRevision").asInt()).isEqualTo(2);
        assertThat(execution.at("/state/current").asText()).isEqualTo("SUCCESS");
        assertThat(execution.at("/state/histories")).extracting(h -> h.get("state").asText())
                .containsExactly("CREATED", "RUNNING", "SUCCESS");
        assertThat(execution.at("/state/endDate").isMissingNode() || execution.at("/state/endDate").isNull()).isFalse();
        assertThat(execution.at("/inputs/size").asInt()).isEqualTo(3);
        assertThat(execution.at("/labels/0/key").asText()).isEqualTo("env");
        JsonNode taskRun = execution.at("/taskRunList/0");
        assertThat(taskRun.get("id").asText()).isEqualTo(taskRunId);
        assertThat(taskRun.get("taskId").asText()).isEqualTo("extract");
        assertThat(taskRun.at("/state/current").asText()).isEqualTo("SUCCESS");
        assertThat(taskRun.at("/outputs/rows").asInt()).isEqualTo(7);
        assertThat(taskRun.at("/attempts/0/state/histories")).hasSize(3);
    }

    @Test
    void searchFindsExecutionsByTheirFilters() {
        String flow = "search-" + System.nanoTime();
        String a = created("acme.sales", flow, "[{\"key\":\"team\",\"value\":\"red\"}]").json().get("id").asText();
        String b = created("acme.sales.eu", flow, "[{\"key\":\"team\",\"value\":\"blue\"}]").json().get("id").asText();
        Reply last = ok(commands.post("/api/v1/main/executions/" + b + "/state", "{\"state\":\"RUNNING\"}"));
        String position = last.header("Osprey-Position");

        JsonNode byFlow = ok(queries.get("/api/v1/main/executions/search?flowId=" + flow + "&position=" + position)).json();
        JsonNode byLabel = ok(queries.get("/api/v1/main/executions/search?flowId=" + flow + "&labels=team:red")).json();
        JsonNode byState = ok(queries.get("/api/v1/main/executions/search?flowId=" + flow + "&state=RUNNING")).json();
        JsonNode byPrefix = ok(queries.get("/api/v1/main/executions/search?namespacePrefix=acme.sales.&flowId=" + flow)).json();

        assertThat(byFlow.get("total").asInt()).isEqualTo(2);
        assertThat(ids(byLabel)).containsExactly(a);
        assertThat(ids(byState)).containsExactly(b);
        assertThat(ids(byPrefix)).containsExactly(b);
    }

    @Test
    void racingClientsOnOneExecutionLoseNothingAndTheViewShowsEveryTaskRun() throws Exception {
        String id = created("company.team", "race", "[]").json().get("id").asText();
        int threads = 6;
        int perThread = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Reply> replies = new ArrayList<>();
        try {
            List<Callable<List<Reply>>> clients = IntStream.range(0, threads).<Callable<List<Reply>>>mapToObj(t -> () -> {
                List<Reply> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    mine.add(ok(commands.post("/api/v1/main/executions/" + id + "/taskruns",
                            "{\"taskId\":\"t" + t + "\",\"taskRunId\":\"r" + t + "x" + i + "\"}")));
                }
                return mine;
            }).toList();
            for (Future<List<Reply>> result : pool.invokeAll(clients)) {
                replies.addAll(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Reply latest = replies.stream().max((x, y) -> Long.compare(x.json().get("version").asLong(),
                y.json().get("version").asLong())).orElseThrow();

        JsonNode execution = readAt(id, latest);

        assertThat(execution.get("taskRunList")).hasSize(threads * perThread);
        Set<Long> versions = new HashSet<>();
        replies.forEach(reply -> versions.add(reply.json().get("version").asLong()));
        assertThat(versions).hasSize(threads * perThread);
    }

    @Test
    void aQuerySideRestartCatchesUpOnWritesMadeWhileItWasDownWithoutDoubling() {
        String id = created("company.team", "restart", "[]").json().get("id").asText();
        String base = "/api/v1/main/executions/" + id;
        readAt(id, ok(commands.post(base + "/state", "{\"state\":\"RUNNING\"}")));

        sides.stopQuerySide();
        Reply last = null;
        for (int i = 0; i < 20; i++) {
            String taskRunId = "down" + i;
            ok(commands.post(base + "/taskruns", "{\"taskId\":\"work\",\"taskRunId\":\"" + taskRunId + "\"}"));
            last = ok(commands.post(base + "/taskruns/" + taskRunId + "/state", "{\"state\":\"RUNNING\"}"));
        }
        sides.startQuerySide();
        queries = new HttpJson(sides.queryUrl());

        JsonNode execution = readAt(id, last);

        assertThat(execution.get("taskRunList")).hasSize(20);
        execution.get("taskRunList").forEach(taskRun ->
                assertThat(taskRun.at("/state/histories")).extracting(h -> h.get("state").asText())
                        .containsExactly("CREATED", "RUNNING"));
        assertThat(execution.at("/state/histories")).hasSize(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(queries.get("/api/v1/projections").json().at("/processors/0/lag").asLong()).isZero());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("results").forEach(result -> ids.add(result.get("id").asText()));
        return ids;
    }
}
