package io.osprey.command.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.osprey.command.dispatch.StaleVersionException;
import io.osprey.command.execution.ExecutionCommands.ChangeExecutionLabels;
import io.osprey.command.execution.ExecutionCommands.ChangeExecutionState;
import io.osprey.command.execution.ExecutionCommands.ChangeTaskRunState;
import io.osprey.command.execution.ExecutionCommands.CreateExecution;
import io.osprey.command.execution.ExecutionCommands.CreateTaskRun;
import io.osprey.command.execution.ExecutionCommands.KillExecution;
import io.osprey.command.execution.ExecutionCommands.RecordExecutionOutputs;
import io.osprey.command.execution.ExecutionCommands.RecordTaskRunOutputs;
import io.osprey.command.execution.ExecutionCommands.RestartExecution;
import io.osprey.command.execution.ExecutionCommands.SetExecutionVariables;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.ExecutionLabelsChanged;
import io.osprey.events.execution.ExecutionOutputsRecorded;
import io.osprey.events.execution.ExecutionRestarted;
import io.osprey.events.execution.ExecutionStateChanged;
import io.osprey.events.execution.ExecutionVariablesSet;
import io.osprey.events.execution.FileReference;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.RestartedTaskRun;
import io.osprey.events.execution.State;
import io.osprey.events.execution.TaskRunCreated;
import io.osprey.events.execution.TaskRunOutputsRecorded;
import io.osprey.events.execution.TaskRunStateChanged;
import io.osprey.events.validation.InvalidInputException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.matches;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;

class ExecutionAggregateTest {

    private static final String TENANT = "main";
    private static final String ID = "exec1";
    private static final String AGG = new ExecutionKey(TENANT, ID).aggregateId();
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);

    private FixtureConfiguration<ExecutionAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ExecutionAggregate.class);
    }

    private static ExecutionCreated created() {
        return new ExecutionCreated(TENANT, ID, "company.team", "hello", 1, List.of(new Label("env", "prod")),
                Map.of(), null, null, T0);
    }

    /** Events that put the execution in {@code state} (the fixture applies them without checking a path). */
    private static Object[] executionIn(State state) {
        return state == State.CREATED ? new Object[]{created()}
                : new Object[]{created(), new ExecutionStateChanged(TENANT, ID, State.CREATED, state, T0)};
    }

    static Stream<Arguments> everyStatePair() {
        return Arrays.stream(State.values())
                .flatMap(from -> Arrays.stream(State.values()).map(to -> Arguments.of(from, to)));
    }

    @Test
    void createsAnExecutionInStateCreated() {
        fixture.givenNoPriorActivity()
                .when(new CreateExecution(AGG, TENANT, ID, "company.team", "hello", 1,
                        List.of(new Label("env", "prod")), Map.of(), null, null, List.of(), T0))
                .expectSuccessfulHandlerExecution()
                .expectEvents(created());
    }

    @ParameterizedTest(name = "execution {0} -> {1}")
    @MethodSource("everyStatePair")
    void executionTransitionsFollowTheTable(State from, State to) {
        var result = fixture.given(executionIn(from)).when(new ChangeExecutionState(AGG, null, to, T1));
        if (StateTransitions.isAllowed(from, to)) {
            result.expectSuccessfulHandlerExecution()
                    .expectEvents(new ExecutionStateChanged(TENANT, ID, from, to, T1))
                    .expectResultMessagePayload((long) executionIn(from).length);
        } else {
            result.expectNoEvents()
                    .expectException(InvalidTransitionException.class)
                    .expectExceptionMessage(org.hamcrest.Matchers.containsString(from + " to " + to));
        }
    }

    @ParameterizedTest(name = "task run {0} -> {1}")
    @MethodSource("everyStatePair")
    void taskRunTransitionsFollowTheTable(State from, State to) {
        var given = Stream.concat(Arrays.stream(executionIn(State.RUNNING)), Stream.of(
                new TaskRunCreated(TENANT, ID, "tr1", "task", null, null, null, 1, T0),
                new TaskRunStateChanged(TENANT, ID, "tr1", 1, State.CREATED, from, T0))).toArray();
        var result = fixture.given(given).when(new ChangeTaskRunState(AGG, null, "tr1", null, to, T1));
        if (StateTransitions.isAllowed(from, to)) {
            result.expectEvents(new TaskRunStateChanged(TENANT, ID, "tr1", 1, from, to, T1));
        } else {
            result.expectNoEvents().expectException(InvalidTransitionException.class);
        }
    }

    @Test
    void terminalStatesHaveNoSuccessor() {
        Arrays.stream(State.values()).filter(State::isTerminal)
                .forEach(state -> assertThat(StateTransitions.successorsOf(state)).as(state.name()).isEmpty());
        Arrays.stream(State.values()).filter(state -> !state.isTerminal())
                .forEach(state -> assertThat(StateTransitions.successorsOf(state)).as(state.name()).isNotEmpty());
    }

    @ParameterizedTest(name = "kill from {0}")
    @MethodSource("allStates")
    void killGoesToKillingFromEveryStateThatAllowsIt(State from) {
        var result = fixture.given(executionIn(from)).when(new KillExecution(AGG, null, T1));
        if (StateTransitions.isAllowed(from, State.KILLING)) {
            result.expectEvents(new ExecutionStateChanged(TENANT, ID, from, State.KILLING, T1));
        } else {
            result.expectNoEvents().expectException(InvalidTransitionException.class);
        }
    }

    static Stream<State> allStates() {
        return Arrays.stream(State.values());
    }

    @Test
    void aStateChangeIsNeverDatedBeforeTheEventsBeforeIt() {
        // taken at T1, the command lost the race to one dated later: its history must not go back in time
        Instant later = T1.plusMillis(5);
        fixture.given(created(), new ExecutionStateChanged(TENANT, ID, State.CREATED, State.RUNNING, T0),
                        new ExecutionVariablesSet(TENANT, ID, Map.of(), List.of(), later))
                .when(new ChangeExecutionState(AGG, null, State.SUCCESS, T1))
                .expectEvents(new ExecutionStateChanged(TENANT, ID, State.RUNNING, State.SUCCESS, later));
    }

    @Test
    void killingEndsKilled() {
        fixture.given(executionIn(State.KILLING))
                .when(new ChangeExecutionState(AGG, null, State.KILLED, T1))
                .expectEvents(new ExecutionStateChanged(TENANT, ID, State.KILLING, State.KILLED, T1));
    }

    @ParameterizedTest(name = "restart from {0}")
    @MethodSource("allStates")
    void onlyFailedOrKilledExecutionsRestart(State from) {
        var result = fixture.given(executionIn(from)).when(new RestartExecution(AGG, null, T1));
        if (from == State.FAILED || from == State.KILLED) {
            result.expectEvents(new ExecutionRestarted(TENANT, ID, from, List.of(), T1));
        } else {
            result.expectNoEvents().expectException(InvalidTransitionException.class);
        }
    }

    @Test
    void restartStartsANewAttemptOfEachFailedTaskRunOnly() {
        fixture.given(created(),
                        new TaskRunCreated(TENANT, ID, "ok", "a", null, null, null, 1, T0),
                        new TaskRunStateChanged(TENANT, ID, "ok", 1, State.CREATED, State.SUCCESS, T0),
                        new TaskRunCreated(TENANT, ID, "bad", "b", null, null, null, 1, T0),
                        new TaskRunStateChanged(TENANT, ID, "bad", 1, State.CREATED, State.FAILED, T0),
                        new ExecutionStateChanged(TENANT, ID, State.CREATED, State.FAILED, T0))
                .when(new RestartExecution(AGG, null, T1))
                .expectEvents(new ExecutionRestarted(TENANT, ID, State.FAILED,
                        List.of(new RestartedTaskRun("bad", State.FAILED, 2)), T1));
    }

    @Test
    void aRestartedTaskRunRunsItsNewAttempt() {
        fixture.given(created(),
                        new TaskRunCreated(TENANT, ID, "bad", "b", null, null, null, 1, T0),
                        new ExecutionRestarted(TENANT, ID, State.FAILED, List.of(new RestartedTaskRun("bad", State.FAILED, 2)), T0))
                .when(new ChangeTaskRunState(AGG, null, "bad", null, State.RUNNING, T1))
                .expectEvents(new TaskRunStateChanged(TENANT, ID, "bad", 2, State.RESTARTED, State.RUNNING, T1));
    }

    @Test
    void aRetryingTaskRunStartsItsNextAttempt() {
        fixture.given(created(),
                        new TaskRunCreated(TENANT, ID, "tr", "t", null, null, null, 1, T0),
                        new TaskRunStateChanged(TENANT, ID, "tr", 1, State.CREATED, State.RUNNING, T0),
                        new TaskRunStateChanged(TENANT, ID, "tr", 1, State.RUNNING, State.RETRYING, T0))
                .when(new ChangeTaskRunState(AGG, null, "tr", 2, State.RUNNING, T1))
                .expectEvents(new TaskRunStateChanged(TENANT, ID, "tr", 2, State.RETRYING, State.RUNNING, T1));
    }

    @Test
    void aNewAttemptNeedsRetrying() {
        fixture.given(created(),
                        new TaskRunCreated(TENANT, ID, "tr", "t", null, null, null, 1, T0),
                        new TaskRunStateChanged(TENANT, ID, "tr", 1, State.CREATED, State.RUNNING, T0))
                .when(new ChangeTaskRunState(AGG, null, "tr", 2, State.RUNNING, T1))
                .expectNoEvents()
                .expectException(InvalidTransitionException.class);
    }

    private static Matcher<ConflictException> conflict(String field, String rule) {
        return new CustomTypeSafeMatcher<>("a conflict on " + field + " breaking " + rule) {
            @Override
            protected boolean matchesSafely(ConflictException e) {
                return e.field().equals(field) && e.rule().equals(rule);
            }
        };
    }

    @Test
    void anAttemptThatIsNeitherCurrentNorNextIsAConflict() {
        fixture.given(created(), new TaskRunCreated(TENANT, ID, "tr", "t", null, null, null, 1, T0))
                .when(new ChangeTaskRunState(AGG, null, "tr", 3, State.RUNNING, T1))
                .expectNoEvents()
                .expectException(conflict("attempt", "attempt-mismatch"));
    }

    @Test
    void aStaleExpectedVersionWritesNothing() {
        fixture.given(executionIn(State.RUNNING))
                .when(new ChangeExecutionState(AGG, 0L, State.SUCCESS, T1))
                .expectNoEvents()
                .expectException(StaleVersionException.class);
    }

    @Test
    void theCurrentExpectedVersionPasses() {
        fixture.given(executionIn(State.RUNNING))
                .when(new ChangeExecutionState(AGG, 1L, State.SUCCESS, T1))
                .expectEvents(new ExecutionStateChanged(TENANT, ID, State.RUNNING, State.SUCCESS, T1))
                .expectResultMessagePayload(2L);
    }

    @Test
    void duplicateTaskRunIdsConflict() {
        fixture.given(created(), new TaskRunCreated(TENANT, ID, "tr", "t", null, null, null, 1, T0))
                .when(new CreateTaskRun(AGG, null, "tr", "t", null, null, null, T1))
                .expectNoEvents()
                .expectException(conflict("taskRunId", "task-run-exists"));
    }

    @Test
    void aParentTaskRunMustExist() {
        fixture.given(created())
                .when(new CreateTaskRun(AGG, null, "child", "t", "nobody", null, null, T1))
                .expectNoEvents()
                .expectException(InvalidInputException.class);
    }

    @Test
    void taskRunsOfATerminalExecutionCannotChange() {
        fixture.given(executionIn(State.SUCCESS))
                .when(new CreateTaskRun(AGG, null, "late", "t", null, null, null, T1))
                .expectNoEvents()
                .expectException(conflict("executionId", "execution-terminal"));
    }

    @Test
    void anUnknownTaskRunIsRefused() {
        fixture.given(created())
                .when(new RecordTaskRunOutputs(AGG, null, "ghost", Map.of(), List.of(), T1))
                .expectNoEvents()
                .expectException(UnknownTaskRunException.class);
    }

    @Test
    void taskRunOutputsAreRecorded() {
        Map<String, JsonNode> outputs = Map.of("rows", IntNode.valueOf(42));
        fixture.given(created(), new TaskRunCreated(TENANT, ID, "tr", "t", null, null, null, 1, T0))
                .when(new RecordTaskRunOutputs(AGG, null, "tr", outputs, List.of(), T1))
                .expectEvents(new TaskRunOutputsRecorded(TENANT, ID, "tr", outputs, T1));
    }

    @Test
    void inputFilesAreCarriedByTheCreationEvent() {
        String uri = "osprey:///main/company.team/hello/executions/exec1/inputs/data/f1/data.csv";
        List<FileReference> files = List.of(new FileReference("data", uri, 3, "ab".repeat(32)));
        Map<String, JsonNode> inputs = Map.of("data", TextNode.valueOf(uri), "n", IntNode.valueOf(1));
        fixture.givenNoPriorActivity()
                .when(new CreateExecution(AGG, TENANT, ID, "company.team", "hello", 1, List.of(), inputs, null, null,
                        files, T0))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(matches(event -> {
                    ExecutionCreated created = (ExecutionCreated) event;
                    return created.files().equals(files) && created.inputs().equals(inputs)
                            && created.blobUris().equals(List.of(uri));
                }), andNoMore())));
    }

    @Test
    void outputFilesAreCarriedByTheOutputsEvent() {
        String uri = "osprey:///main/company.team/hello/executions/exec1/tasks/t/tr/f1/report/r.csv";
        List<FileReference> files = List.of(new FileReference("report", uri, 3, "ab".repeat(32)));
        Map<String, JsonNode> outputs = Map.of("report", TextNode.valueOf(uri));
        fixture.given(created(), new TaskRunCreated(TENANT, ID, "tr", "t", null, null, null, 1, T0))
                .when(new RecordTaskRunOutputs(AGG, null, "tr", outputs, files, T1))
                .expectEvents(new TaskRunOutputsRecorded(TENANT, ID, "tr", outputs, files, T1));
    }

    @Test
    void outputFilesOfAnUnknownTaskRunAreRefused() {
        String uri = "osprey:///main/company.team/hello/executions/exec1/tasks/t/ghost/f1/report/r.csv";
        fixture.given(created())
                .when(new RecordTaskRunOutputs(AGG, null, "ghost", Map.of("report", TextNode.valueOf(uri)),
                        List.of(new FileReference("report", uri, 3, "ab".repeat(32))), T1))
                .expectNoEvents()
                .expectException(UnknownTaskRunException.class);
    }

    @Test
    void addingLabelsKeepsOthersAndOverwritesSameKeys() {
        fixture.given(created())
                .when(new ChangeExecutionLabels(AGG, null, List.of(new Label("env", "dev"), new Label("team", "a")), false, T1))
                .expectEvents(new ExecutionLabelsChanged(TENANT, ID, List.of(new Label("env", "dev"), new Label("team", "a")), T1));
        fixture.given(created())
                .when(new ChangeExecutionLabels(AGG, null, List.of(new Label("owner", "x")), false, T1))
                .expectEvents(new ExecutionLabelsChanged(TENANT, ID, List.of(new Label("env", "prod"), new Label("owner", "x")), T1));
    }

    @Test
    void replacingLabelsDropsTheOldOnes() {
        fixture.given(created())
                .when(new ChangeExecutionLabels(AGG, null, List.of(new Label("owner", "x")), true, T1))
                .expectEvents(new ExecutionLabelsChanged(TENANT, ID, List.of(new Label("owner", "x")), T1));
    }

    @Test
    void variablesAreSet() {
        Map<String, JsonNode> variables = Map.of("n", IntNode.valueOf(1));
        fixture.given(created())
                .when(new SetExecutionVariables(AGG, null, variables, List.of(), T1))
                .expectEvents(new ExecutionVariablesSet(TENANT, ID, variables, T1));
    }

    @Test
    void largeVariablesAreCarriedAsFilesByTheVariablesEvent() {
        String uri = "osprey:///main/company.team/hello/executions/exec1/variables/f1/big/value.json";
        List<FileReference> files = List.of(new FileReference("big", uri, 2002, "ab".repeat(32)));
        Map<String, JsonNode> variables = Map.of("big", TextNode.valueOf(uri), "n", IntNode.valueOf(1));
        fixture.given(created())
                .when(new SetExecutionVariables(AGG, null, variables, files, T1))
                .expectEventsMatching(payloadsMatching(exactSequenceOf(matches(event -> {
                    ExecutionVariablesSet set = (ExecutionVariablesSet) event;
                    return set.files().equals(files) && set.variables().equals(variables)
                            && set.blobUris().equals(List.of(uri));
                }), andNoMore())))
                .expectResultMessagePayload(1L);
    }

    @Test
    void executionOutputsAreRecordedWithTheirFiles() {
        String uri = "osprey:///main/company.team/hello/executions/exec1/outputs/f1/report/r.csv";
        List<FileReference> files = List.of(new FileReference("report", uri, 3, "ab".repeat(32)));
        Map<String, JsonNode> outputs = Map.of("report", TextNode.valueOf(uri), "rows", IntNode.valueOf(42));
        fixture.given(executionIn(State.SUCCESS))
                .when(new RecordExecutionOutputs(AGG, 1L, outputs, files, T1))
                .expectEvents(new ExecutionOutputsRecorded(TENANT, ID, outputs, files, T1))
                .expectResultMessagePayload(2L);
        fixture.given(created())
                .when(new RecordExecutionOutputs(AGG, null, Map.of("rows", IntNode.valueOf(1)), List.of(), T1))
                .expectEvents(new ExecutionOutputsRecorded(TENANT, ID, Map.of("rows", IntNode.valueOf(1)), T1));
    }

    @Test
    void outputsOrVariablesWithFilesAndAStaleVersionWriteNothing() {
        String uri = "osprey:///main/company.team/hello/executions/exec1/outputs/f1/big/value.json";
        List<FileReference> files = List.of(new FileReference("big", uri, 2002, "ab".repeat(32)));
        Map<String, JsonNode> values = Map.of("big", TextNode.valueOf(uri));
        fixture.given(executionIn(State.RUNNING))
                .when(new RecordExecutionOutputs(AGG, 0L, values, files, T1))
                .expectNoEvents()
                .expectException(StaleVersionException.class);
        fixture.given(executionIn(State.RUNNING))
                .when(new SetExecutionVariables(AGG, 0L, values, files, T1))
                .expectNoEvents()
                .expectException(StaleVersionException.class);
    }
}
