package io.osprey.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.ExecutionStateChanged;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.State;
import io.osprey.events.execution.TaskRunCreated;
import io.osprey.events.execution.TaskRunStateChanged;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read model on H2, the embedded default of the standalone application: its own migration scripts
 * and the same SQL (prefix filters with escaped wildcards, nulls-last sorting, label filters).
 */
class H2EmbeddedTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    static Path dataDirectory;
    private static QuerySide querySide;
    private static long position;

    @BeforeAll
    static void start() {
        querySide = QuerySide.start(new String[]{
                "--spring.datasource.url=jdbc:h2:file:" + dataDirectory.resolve("osprey") + ";AUTO_SERVER=FALSE",
                "--spring.datasource.username=sa", "--spring.datasource.password="}, () -> { }, new Class<?>[0]);
        querySide.append("main", "h2_1",
                new ExecutionCreated("main", "h2_1", "company.team", "hello", 1, List.of(new Label("env", "prod")),
                        Map.of(), null, null, T0),
                new TaskRunCreated("main", "h2_1", "tr1", "t1", null, "v", 2, 1, T0.plusSeconds(1)),
                new TaskRunStateChanged("main", "h2_1", "tr1", 1, State.CREATED, State.SUCCESS, T0.plusSeconds(2)),
                new ExecutionStateChanged("main", "h2_1", State.CREATED, State.SUCCESS, T0.plusSeconds(3)));
        position = querySide.append("main", "h2-2",
                new ExecutionCreated("main", "h2-2", "company.other", "hello", 1, List.of(), Map.of(), null, null, T0.plusSeconds(60)));
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void anExecutionIsProjectedAndReadBack() {
        JsonNode execution = querySide.getAt("/api/v1/main/executions/h2_1", position).json();

        assertThat(execution.get("state").get("duration").asText()).isEqualTo("PT3S");
        assertThat(execution.get("taskRunList").get(0).get("value").asText()).isEqualTo("v");
        assertThat(execution.get("taskRunList").get(0).get("iteration").asInt()).isEqualTo(2);
        assertThat(execution.get("labels").get(0).get("value").asText()).isEqualTo("prod");
    }

    @Test
    void searchesAndCountsRunTheSameSql() {
        assertThat(ids(querySide.getAt("/api/v1/main/executions/search?idPrefix=h2_&namespacePrefix=company.&labels=env:prod", position)))
                .containsExactly("h2_1");
        assertThat(ids(querySide.getAt("/api/v1/main/executions/search?sort=state.endDate:desc&startDate=2024-05-01T10:00:00Z", position)))
                .containsExactly("h2_1", "h2-2");
        JsonNode counts = querySide.getAt("/api/v1/main/executions/stats/by-state?flowId=hello", position).json();
        assertThat(counts.get("counts").toString()).isEqualTo("{\"CREATED\":1,\"SUCCESS\":1}");
    }

    private static List<String> ids(Reply reply) {
        List<String> ids = new ArrayList<>();
        reply.json().get("results").forEach(result -> ids.add(result.get("id").asText()));
        return ids;
    }
}
