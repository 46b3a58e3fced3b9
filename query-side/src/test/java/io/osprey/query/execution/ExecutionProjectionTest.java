package io.osprey.query.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.osprey.events.execution.ExecutionLabelsChanged;
import io.osprey.events.execution.ExecutionOutputsRecorded;
import io.osprey.events.execution.ExecutionVariablesSet;
import io.osprey.events.execution.FileReference;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.TaskRunCreated;
import io.osprey.query.QuerySide;
import io.osprey.query.projection.ProjectionPositions;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.osprey.events.execution.State.CREATED;
import static io.osprey.events.execution.State.RUNNING;
import static io.osprey.events.execution.State.SUCCESS;
import static io.osprey.query.execution.ExecutionEvents.T0;
import static io.osprey.query.execution.ExecutionEvents.created;
import static io.osprey.query.execution.ExecutionEvents.state;
import static io.osprey.query.execution.ExecutionEvents.taskRun;
import static io.osprey.query.execution.ExecutionEvents.taskRunState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The executions projection against PostgreSQL: a batch's rows and the processor's token commit together,
 * an event delivered twice changes nothing, and a reset rebuilds the same read model from the events.
 */
class ExecutionProjectionTest {

    private static final String TENANT = "main";
    private static QuerySide querySide;

    @BeforeAll
    static void start() {
        querySide = QuerySide.start(new Class<?>[]{FailingBatchCommit.class});
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void aBatchThatFailsBeforeCommitLeavesNeitherRowsNorTokenBehind() {
        FailingBatchCommit failing = querySide.bean(FailingBatchCommit.class);
        querySide.awaitProjected();
        failing.armFor("atomic-1");
        long firstPosition;
        try {
            // the batch holding atomic-1 writes its rows and token, then fails before commit; atomic-2 cannot be
            // projected before atomic-1 (Axon may or may not put both in that batch), so no 'atomic' row may show
            firstPosition = querySide.bean(TransactionTemplate.class).execute(status -> {
                querySide.append(TENANT, "atomic-1", created(TENANT, "atomic-1", "atomic", "f", T0));
                querySide.append(TENANT, "atomic-2", created(TENANT, "atomic-2", "atomic", "f", T0));
                return querySide.positionOf(TENANT, "atomic-1", 0);
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> failing.failures() > 0 && inErrorState(querySide.processor()));

            assertThat(rowCount("executions", "namespace = 'atomic'")).isZero();
            assertThat(querySide.bean(ProjectionPositions.class).progress(ExecutionProjection.PROCESSOR).covers(firstPosition)).isFalse();
        } finally {
            failing.disarm();
        }

        querySide.awaitProjected();
        assertThat(rowCount("executions", "namespace = 'atomic'")).isEqualTo(2);
        assertThat(querySide.http().get("/api/v1/main/executions/atomic-1").json().get("version").asLong()).isZero();
    }

    @Test
    void aNulCharacterInATaskRunValueStoredBeforeItWasRefusedDoesNotStopTheProjection() {
        querySide.append(TENANT, "nul", created(TENANT, "nul", "nul", "f", T0),
                new TaskRunCreated(TENANT, "nul", "tr1", "t1", null, "a\u0000b", 0, 1, T0.plusSeconds(1)));
        long after = querySide.append(TENANT, "later", created(TENANT, "later", "later", "f", T0));

        assertThat(querySide.getAt("/api/v1/main/executions/later", after).status()).isEqualTo(200);
        JsonNode view = querySide.http().get("/api/v1/main/executions/nul").json();
        assertThat(view.get("taskRunList").get(0).get("value").asText()).isEqualTo("a\uFFFDb");
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        long first = querySide.append(TENANT, "twice", created(TENANT, "twice", "twice", "f", T0, new Label("env", "prod")));
        querySide.append(TENANT, "twice",
                new ExecutionLabelsChanged(TENANT, "twice", List.of(new Label("env", "prod"), new Label("team", "a")), T0.plusSeconds(1)),
                state(TENANT, "twice", CREATED, RUNNING, T0.plusSeconds(1)),
                taskRun(TENANT, "twice", "tr1", "t1", T0.plusSeconds(2)),
                taskRunState(TENANT, "twice", "tr1", 1, CREATED, RUNNING, T0.plusSeconds(3)),
                taskRunState(TENANT, "twice", "tr1", 1, RUNNING, SUCCESS, T0.plusSeconds(4)),
                variablesWithFile("twice", "f1", T0.plusSeconds(4)),
                outputsWithFile("twice", "f2", T0.plusSeconds(4)),
                outputsWithFile("twice", "f3", T0.plusSeconds(5)),
                state(TENANT, "twice", RUNNING, SUCCESS, T0.plusSeconds(5)));
        querySide.awaitProjected();
        JsonNode before = querySide.http().get("/api/v1/main/executions/twice").json();

        TrackingEventProcessor processor = querySide.processor();
        processor.shutDown();
        querySide.bean(TransactionTemplate.class).executeWithoutResult(status -> querySide.bean(TokenStore.class)
                .storeToken(GapAwareTrackingToken.newInstance(first - 1, Set.of()), ExecutionProjection.PROCESSOR, 0));
        assertThat(querySide.bean(ProjectionPositions.class).progress(ExecutionProjection.PROCESSOR).position()).isEqualTo(first - 1);
        processor.start();
        querySide.awaitProjected();

        assertThat(querySide.http().get("/api/v1/main/executions/twice").json()).isEqualTo(before);
        assertThat(before.get("taskRunList")).hasSize(1);
        assertThat(before.get("taskRunList").get(0).get("state").get("histories")).hasSize(3);
        assertThat(rowCount("task_runs", "execution_id = 'twice'")).isEqualTo(1);
        assertThat(rowCount("execution_labels", "execution_id = 'twice'")).isEqualTo(2);
        assertThat(before.get("files")).hasSize(2);
        assertThat(rowCount("execution_files", "execution_id = 'twice'")).isEqualTo(2);
    }

    @Test
    void aTokenResetRebuildsTheSameReadModel() {
        querySide.append(TENANT, "rebuilt",
                created(TENANT, "rebuilt", "rebuild", "f", T0, new Label("env", "prod")),
                taskRun(TENANT, "rebuilt", "tr1", "t1", T0.plusSeconds(1)),
                taskRunState(TENANT, "rebuilt", "tr1", 1, CREATED, SUCCESS, T0.plusSeconds(2)),
                outputsWithFile("rebuilt", "f1", T0.plusSeconds(2)),
                variablesWithFile("rebuilt", "f2", T0.plusSeconds(2)),
                state(TENANT, "rebuilt", CREATED, SUCCESS, T0.plusSeconds(3)));
        querySide.awaitProjected();
        JsonNode before = querySide.http().get("/api/v1/main/executions/rebuilt").json();
        JsonNode searchBefore = querySide.http().get("/api/v1/main/executions/search?labels=env:prod&namespace=rebuild").json();

        TrackingEventProcessor processor = querySide.processor();
        processor.shutDown();
        processor.resetTokens();
        assertThat(rowCount("executions", "1 = 1")).as("the reset empties the read model").isZero();
        assertThat(querySide.http().get("/api/v1/main/executions/rebuilt").status()).isEqualTo(404);
        processor.start();
        querySide.awaitProjected();

        assertThat(querySide.http().get("/api/v1/main/executions/rebuilt").json()).isEqualTo(before);
        assertThat(querySide.http().get("/api/v1/main/executions/search?labels=env:prod&namespace=rebuild").json()).isEqualTo(searchBefore);
        assertThat(searchBefore.get("total").asLong()).isEqualTo(1);
        assertThat(before.get("files")).hasSize(2);
    }

    /** Outputs with one value stored as a blob (the projection only records its reference). */
    private static ExecutionOutputsRecorded outputsWithFile(String executionId, String folder, Instant at) {
        FileReference file = valueFile(executionId, "outputs", folder);
        return new ExecutionOutputsRecorded(TENANT, executionId, Map.of("big", TextNode.valueOf(file.uri())), List.of(file), at);
    }

    private static ExecutionVariablesSet variablesWithFile(String executionId, String folder, Instant at) {
        FileReference file = valueFile(executionId, "variables", folder);
        return new ExecutionVariablesSet(TENANT, executionId, Map.of("big", TextNode.valueOf(file.uri())), List.of(file), at);
    }

    private static FileReference valueFile(String executionId, String kind, String folder) {
        return new FileReference("big", "osprey:///main/company.team/f/executions/" + executionId + "/" + kind + "/" + folder
                + "/big/value.json", 2002, "0".repeat(64));
    }

    private static boolean inErrorState(TrackingEventProcessor processor) {
        return processor.processingStatus().values().stream().anyMatch(EventTrackerStatus::isErrorState);
    }

    private static long rowCount(String table, String condition) {
        Long count = querySide.jdbc().queryForObject("SELECT COUNT(*) FROM " + table + " WHERE " + condition, Long.class);
        return count == null ? 0 : count;
    }
}
