package io.osprey.query.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import io.osprey.events.execution.ExecutionLabelsChanged;
import io.osprey.events.execution.ExecutionOutputsRecorded;
import io.osprey.events.execution.ExecutionRestarted;
import io.osprey.events.execution.ExecutionVariablesSet;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.RestartedTaskRun;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.TaskRunCreated;
import io.osprey.events.execution.TaskRunOutputsRecorded;
import io.osprey.events.execution.TriggerReference;
import io.osprey.query.QuerySide;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.osprey.events.execution.State.CREATED;
import static io.osprey.events.execution.State.FAILED;
import static io.osprey.events.execution.State.RESTARTED;
import static io.osprey.events.execution.State.RETRYING;
import static io.osprey.events.execution.State.RUNNING;
import static io.osprey.events.execution.State.SUCCESS;
import static io.osprey.query.execution.ExecutionEvents.T0;
import static io.osprey.query.execution.ExecutionEvents.created;
import static io.osprey.query.execution.ExecutionEvents.state;
import static io.osprey.query.execution.ExecutionEvents.taskRun;
import static io.osprey.query.execution.ExecutionEvents.taskRunState;
import static io.osprey.query.execution.ExecutionEvents.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The execution query API of a real query-side application on PostgreSQL, over HTTP, fed by events
 * appended to the event store. The fixture executions (tenant main unless said):
 * <pre>
 * alpha_1  company.team      hello  T0     SUCCESS    env:prod team:a   two task runs
 * alpha-2  company.team      hello  T0+1h  RUNNING    env:dev
 * beta     company.team.sub  other  T0+2h  RESTARTED                    a task run in its 2nd attempt
 * alphaX   other.ns          hello  T0+3h  SUCCESS    env:prod
 * gamma    (tenant acme) company.team hello T0
 * </pre>
 * Tests that write more use tenant {@code other}, so that tenant main holds only these.
 */
class ExecutionQueryApiTest {

    private static final String MAIN = "main";
    private static final String OTHER = "other";
    private static final String SEARCH = "/api/v1/main/executions/search";
    private static QuerySide querySide;
    private static long fixturePosition;

    @BeforeAll
    static void start() {
        querySide = QuerySide.start("--osprey.query.consistency-timeout=500ms");
        appendFixture();
        fixturePosition = querySide.head();
        querySide.awaitProjected();
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    private static void appendFixture() {
        Label prod = new Label("env", "prod");
        querySide.append(MAIN, "alpha_1",
                new ExecutionCreated(MAIN, "alpha_1", "company.team", "hello", 3, List.of(prod, new Label("team", "a")),
                        values("a", 1), "parent-1", new TriggerReference("schedule", "io.kestra.Schedule"), T0),
                state(MAIN, "alpha_1", CREATED, RUNNING, T0.plusSeconds(1)),
                taskRun(MAIN, "alpha_1", "tr1", "t1", T0.plusSeconds(1)),
                new TaskRunCreated(MAIN, "alpha_1", "tr2", "each", "tr1", "v1", 0, 1, T0.plusMillis(1100)),
                taskRunState(MAIN, "alpha_1", "tr1", 1, CREATED, RUNNING, T0.plusMillis(1200)),
                taskRunState(MAIN, "alpha_1", "tr1", 1, RUNNING, SUCCESS, T0.plusMillis(2200)),
                new TaskRunOutputsRecorded(MAIN, "alpha_1", "tr1", values("x", 1), T0.plusMillis(2200)),
                new ExecutionVariablesSet(MAIN, "alpha_1", values("v", true), T0.plusMillis(2300)),
                new ExecutionOutputsRecorded(MAIN, "alpha_1", values("result", "ok"), T0.plusMillis(2400)),
                state(MAIN, "alpha_1", RUNNING, SUCCESS, T0.plusMillis(2500)));
        querySide.append(MAIN, "alpha-2",
                created(MAIN, "alpha-2", "company.team", "hello", T0.plusSeconds(3600), new Label("env", "dev")),
                state(MAIN, "alpha-2", CREATED, RUNNING, T0.plusSeconds(3601)));
        Instant beta = T0.plusSeconds(7200);
        querySide.append(MAIN, "beta",
                created(MAIN, "beta", "company.team.sub", "other", beta),
                state(MAIN, "beta", CREATED, RUNNING, beta.plusSeconds(1)),
                taskRun(MAIN, "beta", "tr3", "t1", beta.plusSeconds(1)),
                taskRunState(MAIN, "beta", "tr3", 1, CREATED, RUNNING, beta.plusSeconds(2)),
                taskRunState(MAIN, "beta", "tr3", 1, RUNNING, FAILED, beta.plusSeconds(3)),
                state(MAIN, "beta", RUNNING, FAILED, beta.plusSeconds(4)),
                new ExecutionRestarted(MAIN, "beta", FAILED, List.of(new RestartedTaskRun("tr3", FAILED, 2)), beta.plusSeconds(10)),
                taskRunState(MAIN, "beta", "tr3", 2, RESTARTED, RUNNING, beta.plusSeconds(11)));
        querySide.append(MAIN, "alphaX",
                created(MAIN, "alphaX", "other.ns", "hello", T0.plusSeconds(10800), prod),
                state(MAIN, "alphaX", CREATED, SUCCESS, T0.plusSeconds(10801)));
        querySide.append("acme", "gamma", created("acme", "gamma", "company.team", "hello", T0));
    }

    @Test
    void anExecutionHasKestrasShapeWithTaskRunsAttemptsAndHistories() {
        Reply reply = querySide.getAt("/api/v1/main/executions/alpha_1", fixturePosition);
        JsonNode execution = reply.json();

        assertThat(execution.get("id").asText()).isEqualTo("alpha_1");
        assertThat(execution.get("namespace").asText()).isEqualTo("company.team");
        assertThat(execution.get("flowId").asText()).isEqualTo("hello");
        assertThat(execution.get("flowRevision").asInt()).isEqualTo(3);
        assertThat(execution.get("tenantId").asText()).isEqualTo(MAIN);
        assertThat(execution.get("labels").toString()).isEqualTo("[{\"key\":\"env\",\"value\":\"prod\"},{\"key\":\"team\",\"value\":\"a\"}]");
        assertThat(execution.get("inputs").toString()).isEqualTo("{\"a\":1}");
        assertThat(execution.get("outputs").toString()).isEqualTo("{\"result\":\"ok\"}");
        assertThat(execution.get("variables").toString()).isEqualTo("{\"v\":true}");
        assertThat(execution.get("parentId").asText()).isEqualTo("parent-1");
        assertThat(execution.get("trigger").toString()).isEqualTo("{\"id\":\"schedule\",\"type\":\"io.kestra.Schedule\"}");
        assertThat(execution.get("version").asLong()).isEqualTo(9);

        JsonNode state = execution.get("state");
        assertThat(state.get("current").asText()).isEqualTo("SUCCESS");
        assertThat(states(state.get("histories"))).containsExactly("CREATED", "RUNNING", "SUCCESS");
        assertThat(state.get("histories").get(0).get("date").asText()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(state.get("startDate").asText()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(state.get("endDate").asText()).isEqualTo("2024-05-01T10:00:02.500Z");
        assertThat(state.get("duration").asText()).isEqualTo("PT2.5S");

        JsonNode taskRuns = execution.get("taskRunList");
        assertThat(taskRuns).hasSize(2);
        JsonNode first = taskRuns.get(0);
        assertThat(first.get("id").asText()).isEqualTo("tr1");
        assertThat(first.get("executionId").asText()).isEqualTo("alpha_1");
        assertThat(first.get("namespace").asText()).isEqualTo("company.team");
        assertThat(first.get("flowId").asText()).isEqualTo("hello");
        assertThat(first.get("taskId").asText()).isEqualTo("t1");
        assertThat(first.get("parentTaskRunId").isNull()).isTrue();
        assertThat(first.get("outputs").toString()).isEqualTo("{\"x\":1}");
        assertThat(first.get("state").get("current").asText()).isEqualTo("SUCCESS");
        assertThat(first.get("state").get("duration").asText()).isEqualTo("PT1.2S");
        assertThat(first.get("attempts")).hasSize(1);
        assertThat(states(first.get("attempts").get(0).get("state").get("histories"))).containsExactly("CREATED", "RUNNING", "SUCCESS");
        JsonNode second = taskRuns.get(1);
        assertThat(second.get("id").asText()).isEqualTo("tr2");
        assertThat(second.get("parentTaskRunId").asText()).isEqualTo("tr1");
        assertThat(second.get("value").asText()).isEqualTo("v1");
        assertThat(second.get("iteration").asInt()).isZero();
        assertThat(second.get("state").get("current").asText()).isEqualTo("CREATED");
        assertThat(second.get("state").get("endDate").isNull()).isTrue();
    }

    @Test
    void aRestartClearsTheEndDateAndStartsANewAttempt() {
        JsonNode execution = querySide.getAt("/api/v1/main/executions/beta", fixturePosition).json();

        assertThat(states(execution.get("state").get("histories"))).containsExactly("CREATED", "RUNNING", "FAILED", "RESTARTED");
        assertThat(execution.get("state").get("endDate").isNull()).isTrue();
        JsonNode run = execution.get("taskRunList").get(0);
        assertThat(run.get("state").get("current").asText()).isEqualTo("RUNNING");
        assertThat(states(run.get("state").get("histories"))).containsExactly("CREATED", "RUNNING", "FAILED", "RESTARTED", "RUNNING");
        assertThat(run.get("attempts")).hasSize(2);
        assertThat(states(run.get("attempts").get(0).get("state").get("histories"))).containsExactly("CREATED", "RUNNING", "FAILED");
        assertThat(run.get("attempts").get(0).get("state").get("current").asText()).isEqualTo("FAILED");
        assertThat(states(run.get("attempts").get(1).get("state").get("histories"))).containsExactly("RESTARTED", "RUNNING");
    }

    @Test
    void anAttemptTheNextOneTookThePlaceOfEndedWhenItBegan() {
        long position = querySide.append(OTHER, "retried",
                created(OTHER, "retried", "retries.test", "f", T0),
                state(OTHER, "retried", CREATED, RUNNING, T0.plusSeconds(1)),
                taskRun(OTHER, "retried", "tr1", "t1", T0.plusSeconds(1)),
                taskRunState(OTHER, "retried", "tr1", 1, CREATED, RUNNING, T0.plusSeconds(2)),
                taskRunState(OTHER, "retried", "tr1", 1, RUNNING, RETRYING, T0.plusSeconds(3)),
                taskRunState(OTHER, "retried", "tr1", 2, RETRYING, RUNNING, T0.plusSeconds(10)));

        JsonNode attempts = querySide.getAt("/api/v1/other/executions/retried", position).json()
                .get("taskRunList").get(0).get("attempts");

        assertThat(attempts).hasSize(2);
        JsonNode superseded = attempts.get(0).get("state");
        assertThat(superseded.get("current").asText()).isEqualTo("RETRYING");
        assertThat(superseded.get("endDate").asText()).isEqualTo(T0.plusSeconds(10).toString());
        assertThat(superseded.get("duration").asText()).isEqualTo("PT9S"); // from the task run's creation
        assertThat(attempts.get(1).get("state").get("endDate").isNull()).isTrue();
    }

    @Test
    void labelChangesReplaceTheLabelsSeenByTheViewAndTheFilter() {
        long position = querySide.append(OTHER, "labelled",
                created(OTHER, "labelled", "labels.test", "f", T0, new Label("env", "prod"), new Label("old", "x")),
                new ExecutionLabelsChanged(OTHER, "labelled", List.of(new Label("env", "staging"), new Label("new", "y,z")), T0.plusSeconds(1)));

        JsonNode execution = querySide.getAt("/api/v1/other/executions/labelled", position).json();
        assertThat(execution.get("labels").toString()).isEqualTo("[{\"key\":\"env\",\"value\":\"staging\"},{\"key\":\"new\",\"value\":\"y,z\"}]");
        String search = "/api/v1/other/executions/search?namespace=labels.test";
        assertThat(ids(querySide.getAt(search + "&labels=env:staging&labels=new:y,z", position))).containsExactly("labelled");
        assertThat(ids(querySide.getAt(search + "&labels=new:y,z", position))).as("a comma inside a value").containsExactly("labelled");
        assertThat(ids(querySide.getAt(search + "&labels=env:prod", position))).isEmpty();
        assertThat(ids(querySide.getAt(search + "&labels=old:x", position))).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                                        | alphaX,beta,alpha-2,alpha_1
            namespace=company.team                                    | alpha-2,alpha_1
            namespacePrefix=company.team                              | beta,alpha-2,alpha_1
            namespacePrefix=company.te                                | beta,alpha-2,alpha_1
            flowId=hello                                              | alphaX,alpha-2,alpha_1
            state=SUCCESS                                             | alphaX,alpha_1
            state=SUCCESS&state=RUNNING                               | alphaX,alpha-2,alpha_1
            labels=env:prod                                           | alphaX,alpha_1
            labels=env:prod&labels=team:a                             | alpha_1
            labels=env:nope                                           | ''
            startDate=2024-05-01T10:30:00Z                            | alphaX,beta,alpha-2
            endDate=2024-05-01T11:00:00Z                              | alpha-2,alpha_1
            startDate=2024-05-01T10:30:00Z&endDate=2024-05-01T12:00:00%2B00:00 | beta,alpha-2
            idPrefix=alpha_                                           | alpha_1
            idPrefix=alpha                                            | alphaX,alpha-2,alpha_1
            namespace=company.team&flowId=hello&state=RUNNING         | alpha-2
            """)
    void eachFilterNarrowsTheSearch(String query, String expectedIds) {
        Reply reply = querySide.getAt(SEARCH + "?" + query, fixturePosition);

        List<String> expected = expectedIds.isEmpty() ? List.of() : List.of(expectedIds.split(","));
        assertThat(ids(reply)).containsExactlyElementsOf(expected);
        assertThat(reply.json().get("total").asLong()).isEqualTo(expected.size());
    }

    @Test
    void searchesStayInsideTheirTenant() {
        Reply reply = querySide.getAt("/api/v1/acme/executions/search", fixturePosition);

        assertThat(ids(reply)).containsExactly("gamma");
    }

    @Test
    void pagesAreSortedCountedAndLeaveTaskRunsOut() {
        Reply page2 = querySide.getAt(SEARCH + "?namespacePrefix=company.team&sort=state.startDate:asc&size=2&page=2", fixturePosition);
        assertThat(ids(page2)).containsExactly("beta");
        assertThat(page2.json().get("total").asLong()).isEqualTo(3);
        assertThat(page2.json().get("results").get(0).has("taskRunList")).isFalse();
        assertThat(page2.json().get("results").get(0).get("state").get("current").asText()).isEqualTo("RESTARTED");

        Reply beyond = querySide.getAt(SEARCH + "?namespacePrefix=company.team&size=2&page=3", fixturePosition);
        assertThat(ids(beyond)).isEmpty();
        assertThat(beyond.json().get("total").asLong()).isEqualTo(3);

        assertThat(ids(querySide.getAt(SEARCH + "?idPrefix=alpha&sort=id:asc", fixturePosition)))
                .containsExactly("alpha-2", "alphaX", "alpha_1");
        assertThat(ids(querySide.getAt(SEARCH + "?idPrefix=alpha&sort=id", fixturePosition)))
                .as("ascending when the direction is left out").containsExactly("alpha-2", "alphaX", "alpha_1");
        assertThat(ids(querySide.getAt(SEARCH + "?flowId=hello&sort=state.endDate:desc", fixturePosition)))
                .as("running executions (no end date) last").containsExactly("alphaX", "alpha_1", "alpha-2");
    }

    @Test
    void statsCountExecutionsByCurrentState() {
        JsonNode all = querySide.getAt("/api/v1/main/executions/stats/by-state", fixturePosition).json();
        assertThat(all.get("counts").toString()).isEqualTo("{\"RUNNING\":1,\"RESTARTED\":1,\"SUCCESS\":2}");
        assertThat(all.get("total").asLong()).isEqualTo(4);

        JsonNode team = querySide.getAt("/api/v1/main/executions/stats/by-state?namespace=company.team&flowId=hello", fixturePosition).json();
        assertThat(team.get("counts").toString()).isEqualTo("{\"RUNNING\":1,\"SUCCESS\":1}");

        JsonNode window = querySide.getAt("/api/v1/main/executions/stats/by-state?startDate=2024-05-01T10:30:00Z&endDate=2024-05-01T13:30:00Z", fixturePosition).json();
        assertThat(window.get("counts").toString()).isEqualTo("{\"RUNNING\":1,\"RESTARTED\":1,\"SUCCESS\":1}");
        assertThat(window.get("total").asLong()).isEqualTo(3);
    }

    @Test
    void statsTakeTheSearchsFilters() {
        String stats = "/api/v1/main/executions/stats/by-state";
        assertThat(querySide.getAt(stats + "?namespacePrefix=does.not.exist", fixturePosition).json().get("total").asLong())
                .isZero();
        assertThat(querySide.getAt(stats + "?labels=env:prod", fixturePosition).json().get("counts").toString())
                .isEqualTo("{\"SUCCESS\":2}");
        JsonNode alphas = querySide.getAt(stats + "?idPrefix=alpha&state=RUNNING,RESTARTED", fixturePosition).json();
        assertThat(alphas.get("counts").toString()).isEqualTo("{\"RUNNING\":1}");
        assertThat(alphas.get("total").asLong()).isEqualTo(1);
    }

    @Test
    void aSearchBoundAsFarAsADateGoesBoundsNothingMore() {
        long all = querySide.getAt(SEARCH, fixturePosition).json().get("total").asLong();
        String stats = "/api/v1/main/executions/stats/by-state";

        for (String unbounded : List.of("startDate=-999999999-01-01T00:30:00%2B01:00", "endDate=%2B999999999-12-31T23:00:00-01:00",
                "endDate=%2B300000-01-01T00:00:00Z", "startDate=0000-01-01T00:00:00Z")) {
            assertThat(querySide.getAt(SEARCH + "?" + unbounded, fixturePosition).json().get("total").asLong()).as(unbounded)
                    .isEqualTo(all);
            assertThat(querySide.getAt(stats + "?" + unbounded, fixturePosition).json().get("total").asLong()).as(unbounded)
                    .isEqualTo(all);
        }
        for (String nothing : List.of("startDate=%2B999999999-12-31T23:00:00-01:00", "endDate=-999999999-01-01T00:30:00%2B01:00",
                "startDate=%2B294277-01-01T00:00:00Z")) {
            Reply reply = querySide.getAt(SEARCH + "?" + nothing, fixturePosition);
            assertThat(reply.status()).as(nothing).isEqualTo(200);
            assertThat(reply.json().get("total").asLong()).as(nothing).isZero();
            assertThat(querySide.getAt(stats + "?" + nothing, fixturePosition).json().get("total").asLong()).as(nothing).isZero();
        }
    }

    @Test
    void aViewAndAPageAreEachReadAsOfOneMomentWhileTheProjectionWrites() throws Exception {
        querySide.append(OTHER, "growing", created(OTHER, "growing", "company.snapshot", "hello", T0),
                state(OTHER, "growing", CREATED, RUNNING, T0));
        List<String> torn = new ArrayList<>();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                querySide.append(OTHER, "growing", taskRun(OTHER, "growing", "tr" + i, "t", T0.plusMillis(i)));
                querySide.append(OTHER, "n" + i, created(OTHER, "n" + i, "company.snapshot", "hello", T0));
            }
        });
        writer.start();
        while (writer.isAlive()) {
            JsonNode view = querySide.http().get("/api/v1/other/executions/growing").json();
            if (view.has("version") && view.get("taskRunList").size() != Math.max(0, view.get("version").asInt() - 1)) {
                torn.add("version " + view.get("version") + " with " + view.get("taskRunList").size() + " task runs");
            }
            JsonNode page = querySide.http().get("/api/v1/other/executions/search?namespace=company.snapshot&size=1000").json();
            if (page.get("results").size() != page.get("total").asInt()) {
                torn.add("total " + page.get("total") + " beside " + page.get("results").size() + " results");
            }
        }
        writer.join();

        assertThat(torn).isEmpty();
    }

    @Test
    void anExecutionIsFoundBetweenTheDatesItsViewShows() {
        // as events recorded before EventClock: nanoseconds, which the databases rounded to the nearest microsecond
        querySide.append(OTHER, "nanos", created(OTHER, "nanos", "company.team", "hello",
                Instant.parse("2024-06-01T08:00:00.123456789Z")));
        querySide.append(OTHER, "nanosdown", created(OTHER, "nanosdown", "company.team", "hello",
                Instant.parse("2024-06-01T09:00:00.123456289Z")));
        long position = querySide.head();
        String search = "/api/v1/other/executions/search?namespace=company.team&";

        for (String[] execution : List.of(new String[]{"nanos", "2024-06-01T08:00:00.123457Z"},
                new String[]{"nanosdown", "2024-06-01T09:00:00.123456Z"})) {
            String shown = querySide.getAt("/api/v1/other/executions/" + execution[0], position).json().get("state")
                    .get("startDate").asText();
            assertThat(shown).isEqualTo(execution[1]);
            assertThat(ids(querySide.getAt(search + "startDate=" + shown + "&endDate=" + shown, position)))
                    .containsExactly(execution[0]);
        }
        // a bound in nanoseconds admits what it admits at the microsecond
        assertThat(ids(querySide.getAt(search + "startDate=2024-06-01T08:00:00.123456001Z&endDate=2024-06-01T08:00:00.123457999Z",
                position))).containsExactly("nanos");
        assertThat(ids(querySide.getAt(search + "startDate=2024-06-01T08:00:00.123457001Z&endDate=2024-06-01T08:59:00Z", position)))
                .isEmpty();
        assertThat(ids(querySide.getAt(search + "startDate=2024-06-01T07:00:00Z&endDate=2024-06-01T08:00:00.123456999Z", position)))
                .isEmpty();
    }

    @Test
    void decimalValuesAreShownAsTheyWereSent() {
        String pi = "3.14159265358979323846264338327950288";
        Map<String, JsonNode> inputs = Map.of("pi", DecimalNode.valueOf(new BigDecimal(pi)),
                "price", DecimalNode.valueOf(new BigDecimal("100.50")));
        querySide.append(OTHER, "decimals", new ExecutionCreated(OTHER, "decimals", "company.team", "hello", 1, List.of(),
                inputs, null, null, T0));

        String shown = querySide.getAt("/api/v1/other/executions/decimals", querySide.head()).body();

        assertThat(shown).contains("\"pi\":" + pi).contains("\"price\":100.50");
    }

    @Test
    void aQueryAtAJustWrittenPositionSeesTheWrite() {
        long position = querySide.append(OTHER, "fresh", created(OTHER, "fresh", "ryw", "f", T0));

        Reply reply = querySide.http().get("/api/v1/other/executions/fresh?position=" + position);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.header("Osprey-Position-Reached")).isEqualTo("true");
        assertThat(Long.parseLong(reply.header("Osprey-Position"))).isGreaterThanOrEqualTo(position);
        assertThat(reply.json().get("id").asText()).isEqualTo("fresh");
    }

    @Test
    void aPositionNotReachedWithinTheTimeoutIsAnsweredWithWhatThereIs() {
        long farAhead = querySide.head() + 1_000_000;
        long started = System.nanoTime();

        Reply reply = querySide.http().get(SEARCH + "?namespace=company.team&position=" + farAhead);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Osprey-Position-Reached")).isEqualTo("false");
        assertThat(Long.parseLong(reply.header("Osprey-Position"))).isBetween(fixturePosition, farAhead - 1);
        assertThat(ids(reply)).containsExactly("alpha-2", "alpha_1");
    }

    @Test
    void anExecutionNotFoundAtAPositionNotReachedIsA503NotA404() {
        long farAhead = querySide.head() + 1_000_000;

        Reply reply = querySide.http().get("/api/v1/main/executions/not-projected-yet?position=" + farAhead);

        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("type").asText()).isEqualTo("urn:osprey:problem:not-caught-up");
        assertThat(reply.json().get("field").asText()).isEqualTo("position");
        assertThat(reply.header("Retry-After")).isNotNull();
        assertThat(reply.header("Osprey-Position-Reached")).isEqualTo("false");
        assertThat(Long.parseLong(reply.header("Osprey-Position"))).isBetween(fixturePosition, farAhead - 1);
        // reached, it is a miss like any other
        Reply reached = querySide.http().get("/api/v1/main/executions/not-projected-yet?position=" + fixturePosition);
        assertThat(reached.status()).as(reached.body()).isEqualTo(404);
    }

    @Test
    void aQueryWithoutPositionReportsTheProjectionPositionOnly() {
        Reply reply = querySide.http().get("/api/v1/main/executions/alpha_1");

        assertThat(Long.parseLong(reply.header("Osprey-Position"))).isGreaterThanOrEqualTo(fixturePosition);
        assertThat(reply.header("Osprey-Position-Reached")).isNull();
    }

    @Test
    void projectionsShowTheirPositionAndLagPerSegment() {
        querySide.awaitProjected();
        JsonNode projections = querySide.http().get("/api/v1/projections").json();

        long head = projections.get("head").asLong();
        assertThat(head).isGreaterThanOrEqualTo(fixturePosition);
        JsonNode executions = processor(projections, "executions");
        assertThat(executions.get("position").asLong()).isEqualTo(head);
        assertThat(executions.get("lag").asLong()).isZero();
        JsonNode segment = executions.get("segments").get(0);
        assertThat(segment.get("segment").asInt()).isZero();
        assertThat(segment.get("position").asLong()).isEqualTo(head);
        assertThat(segment.get("lag").asLong()).isZero();
        assertThat(segment.get("caughtUp").asBoolean()).isTrue();
    }

    @Test
    void theQueriesAreDocumented() {
        Reply docs = querySide.http().get("/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("paths").has("/api/v1/{tenant}/executions/search")).isTrue();
        assertThat(docs.json().get("paths").has("/api/v1/{tenant}/executions/{executionId}")).isTrue();
        assertThat(docs.json().get("paths").has("/api/v1/{tenant}/executions/stats/by-state")).isTrue();
        assertThat(docs.json().get("paths").has("/api/v1/projections")).isTrue();
        assertThat(docs.body()).contains("\"name\":\"labels\"");
        assertThat(docs.json().get("paths").has("/error")).as("Spring Boot's error path is no endpoint").isFalse();
    }

    @Test
    void theLastBlobSweepBeforeAnyIsA404NamingIt() {
        Reply reply = querySide.http().get("/api/v1/blobs/sweeps/last"); // the first sweep runs an interval (1 h) after start

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("field").asText()).isEqualTo("sweep");
        assertThat(reply.json().get("rule").asText()).isEqualTo("exists");
    }

    @Test
    void aCommandSentToTheQuerySideIsAProblemSayingWhereCommandsGo() {
        Reply create = querySide.http().post("/api/v1/main/executions",
                "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}");

        assertThat(create.status()).isIn(404, 405);
        assertThat(create.header("Content-Type")).startsWith("application/problem+json");
        assertThat(create.json().get("detail").asText()).contains("commands go to the command side")
                .doesNotContain("static resource");
    }

    @Test
    void anUnknownExecutionIsA404Problem() {
        Reply reply = querySide.http().get("/api/v1/main/executions/nope");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("field").asText()).isEqualTo("executionId");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/v1/main/nothing-here                 | 404 | path    | exists
            /api/v1/main%2Fother/executions/alpha_1   | 400 | request | http
            """)
    void aRequestNoControllerTakesIsAProblemToo(String path, int status, String field, String rule) {
        Reply reply = querySide.http().get(path);

        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("field").asText()).isEqualTo(field);
        assertThat(reply.json().get("rule").asText()).isEqualTo(rule);
    }

    @Test
    void aQuerySentWithABrokenMultipartBodyIsA400Problem() {
        Reply reply = querySide.http().get(SEARCH, "Content-Type", "multipart/form-data");

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("field").asText()).isEqualTo("body");
        assertThat(reply.json().get("rule").asText()).isEqualTo("multipart");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/v1/bad..tenant/executions/alpha_1                         | tenant          | pattern
            /api/v1/main/executions/bad.id                                 | executionId     | pattern
            /api/v1/main/executions/alpha_1?position=-1                    | position        | min
            /api/v1/main/executions/alpha_1?position=soon                  | position        | type
            /api/v1/main/executions/search?namespace=Bad..ns               | namespace       | pattern
            /api/v1/main/executions/search?namespacePrefix=a%20b           | namespacePrefix | pattern
            /api/v1/main/executions/search?flowId=-hello                   | flowId          | pattern
            /api/v1/main/executions/search?state=DONE                      | state           | enum
            /api/v1/main/executions/search?labels=env                      | labels          | format
            /api/v1/main/executions/search?labels=1env:prod                | labels          | pattern
            /api/v1/main/executions/search?labels=env:                     | labels          | required
            /api/v1/main/executions/search?startDate=yesterday             | startDate       | format
            /api/v1/main/executions/search?endDate=2024-05-01              | endDate         | format
            /api/v1/main/executions/search?startDate=2024-05-02T00:00:00Z&endDate=2024-05-01T00:00:00Z | endDate | range
            /api/v1/main/executions/search?idPrefix=a.b                    | idPrefix        | pattern
            /api/v1/main/executions/search?page=0                          | page            | min
            /api/v1/main/executions/search?page=first                      | page            | type
            /api/v1/main/executions/search?size=0                          | size            | min
            /api/v1/main/executions/search?size=1001                       | size            | max
            /api/v1/main/executions/search?size=%EF%BC%92                  | size            | type
            /api/v1/main/executions/search?size=+2                         | size            | type
            /api/v1/main/executions/search?size=99999999999999999999       | size            | range
            /api/v1/main/executions/search?page=2147483648                 | page            | range
            /api/v1/main/executions/alpha_1?position=9223372036854775808   | position        | range
            /api/v1/main/executions/search?page=                           | page            | type
            /api/v1/main/executions/alpha_1?position=%D9%A2                | position        | type
            /api/v1/main/executions/search?sort=duration:asc               | sort            | enum
            /api/v1/main/executions/search?sort=id:up                      | sort            | format
            /api/v1/main/executions/search?state=                          | state           | enum
            /api/v1/main/executions/search?state=RUNNING,                  | state           | enum
            /api/v1/main/executions/stats/by-state?state=                  | state           | enum
            /api/v1/main/executions/stats/by-state?idPrefix=a.b            | idPrefix        | pattern
            /api/v1/main/executions/stats/by-state?flowId=a/b              | flowId          | pattern
            /api/v1/main/executions/stats/by-state?startDate=2024-13-01T00:00:00Z | startDate | format
            """)
    void aBadParameterIsA400ProblemNamingTheFieldAndTheRule(String path, String field, String rule) {
        Reply reply = querySide.http().get(path);

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        JsonNode error = reply.json().get("errors").get(0);
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("rule").asText()).isEqualTo(rule);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    @Test
    void aNumberTooLargeForItsParameterSaysHowLargeOneMayBe() {
        Reply reply = querySide.http().get(SEARCH + "?page=2147483648");

        assertThat(reply.json().get("detail").asText()).isEqualTo("page is too large for a number here: at most 2147483647");
    }

    @Test
    void everyBadParameterIsNamedInOneReply() {
        Reply reply = querySide.http().get(SEARCH + "?page=0&size=5000&state=DONE&sort=nope");

        assertThat(reply.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        reply.json().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("page", "size", "state", "sort");
    }

    private static List<String> ids(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        reply.json().get("results").forEach(result -> ids.add(result.get("id").asText()));
        return ids;
    }

    private static List<String> states(JsonNode histories) {
        List<String> states = new ArrayList<>();
        histories.forEach(history -> states.add(history.get("state").asText()));
        return states;
    }

    private static JsonNode processor(JsonNode projections, String name) {
        for (JsonNode processor : projections.get("processors")) {
            if (processor.get("name").asText().equals(name)) {
                return processor;
            }
        }
        throw new AssertionError("no processor " + name + " in " + projections);
    }
}
