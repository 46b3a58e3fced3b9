package io.osprey.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import io.osprey.events.execution.TriggerReference;
import io.osprey.events.namespace.NamespaceDirectoryCreated;
import io.osprey.events.namespace.NamespaceFileDeleted;
import io.osprey.events.namespace.NamespaceFileMoved;
import io.osprey.events.namespace.NamespaceFileWritten;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stored event shape survives the trip through the event store's serializer, revision included; decimals in
 * values as they were sent (the command side reads them as BigDecimal).
 */
class EventSerializationTest {

    private static final Instant AT = Instant.parse("2026-11-26T10:15:30.123456789Z");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String URI = "osprey:///main/company.team/hello/executions/e1/inputs/data/u1/data.csv";

    static Stream<Object> events() {
        return Stream.of(
                new ExecutionCreated("main", "e1", "company.team", "hello", 3, List.of(new Label("env", "prod")),
                        Map.of("n", JSON.numberNode(new BigDecimal("3.14159265358979323846264338327950288")),
                                "o", JSON.objectNode().put("k", "v"), "nil", JSON.nullNode()),
                        "parent1", new TriggerReference("schedule", "io.kestra.Schedule"), AT),
                new ExecutionStateChanged("main", "e1", State.CREATED, State.RUNNING, AT),
                new ExecutionRestarted("main", "e1", State.FAILED, List.of(new RestartedTaskRun("t1", State.FAILED, 2)), AT),
                new ExecutionLabelsChanged("main", "e1", List.of(new Label("a", "b")), AT),
                new ExecutionVariablesSet("main", "e1", Map.of("list", JSON.arrayNode().add(1).add("x")), AT),
                new ExecutionOutputsRecorded("main", "e1", Map.of(), AT),
                new TaskRunCreated("main", "e1", "t1", "extract", null, "v", 4, 1, AT),
                new TaskRunStateChanged("main", "e1", "t1", 2, State.RETRYING, State.RUNNING, AT),
                new TaskRunOutputsRecorded("main", "e1", "t1", Map.of("rows", JSON.numberNode(42)), AT),
                new TaskRunOutputsRecorded("main", "e1", "t1", Map.of("report", JSON.textNode(URI)),
                        List.of(new FileReference("report", URI, 12, "cd".repeat(32))), AT),
                new ExecutionCreated("main", "e1", "company.team", "hello", 3, List.of(), Map.of("data", JSON.textNode(URI)),
                        null, null, List.of(new FileReference("data", URI, 12, "cd".repeat(32))), AT),
                new NamespaceFileWritten("main", "company.team", "/scripts/etl.py", 2, 1234, "ab".repeat(32),
                        "osprey:///main/company.team/_files/f81d4fae-7dec-11d0-a765-00a0c91e6bf6", AT),
                new NamespaceDirectoryCreated("main", "company.team", "/scripts", AT),
                new NamespaceFileMoved("main", "company.team", "/scripts", "/jobs/scripts", true, AT),
                new NamespaceFileDeleted("main", "company.team", "/jobs", true, AT));
    }

    @ParameterizedTest
    @MethodSource("events")
    void roundTripsWithItsRevision(Object event) {
        Serializer serializer = EventSerialization.serializer();

        SerializedObject<byte[]> stored = serializer.serialize(event, byte[].class);
        Object read = serializer.deserialize(stored);

        assertThat(read).isEqualTo(event);
        assertThat(stored.getType().getName()).isEqualTo(event.getClass().getName());
        assertThat(stored.getType().getRevision()).isEqualTo(event.getClass().getAnnotation(Revision.class).value());
    }
}
