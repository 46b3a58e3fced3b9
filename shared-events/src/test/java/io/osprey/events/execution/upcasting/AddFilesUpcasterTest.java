package io.osprey.events.execution.upcasting;

import io.osprey.events.EventSerialization;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.ExecutionOutputsRecorded;
import io.osprey.events.execution.ExecutionVariablesSet;
import io.osprey.events.execution.FileReference;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.TaskRunOutputsRecorded;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Revision 1 execution events, as stored before files existed, read as revision 2 with no files. */
class AddFilesUpcasterTest {

    private final Serializer serializer = EventSerialization.serializer();
    private final EventUpcasterChain chain = new EventUpcasterChain(
            AddFilesUpcaster.executionCreated(), AddFilesUpcaster.taskRunOutputsRecorded(),
            AddFilesUpcaster.executionOutputsRecorded(), AddFilesUpcaster.executionVariablesSet());

    @Test
    void executionCreatedRevisionOneReadsWithNoFiles() {
        String v1 = """
                {"tenant":"main","executionId":"e1","namespace":"company.team","flowId":"hello","flowRevision":3,
                 "labels":[{"key":"env","value":"prod"}],"inputs":{"rows":10},"parentExecutionId":null,"trigger":null,
                 "at":"2026-11-26T10:15:30Z"}""";

        ExecutionCreated event = (ExecutionCreated) read(ExecutionCreated.class, v1);

        assertThat(event.files()).isEmpty();
        assertThat(event.blobUris()).isEmpty();
        assertThat(event.labels()).containsExactly(new Label("env", "prod"));
        assertThat(event.inputs().get("rows").asInt()).isEqualTo(10);
        assertThat(event.at()).isEqualTo(Instant.parse("2026-11-26T10:15:30Z"));
    }

    @Test
    void taskRunOutputsRecordedRevisionOneReadsWithNoFiles() {
        String v1 = """
                {"tenant":"main","executionId":"e1","taskRunId":"t1","outputs":{"count":42},"at":"2026-11-26T10:15:30Z"}""";

        TaskRunOutputsRecorded event = (TaskRunOutputsRecorded) read(TaskRunOutputsRecorded.class, v1);

        assertThat(event.files()).isEmpty();
        assertThat(event.outputs().get("count").asInt()).isEqualTo(42);
    }

    @Test
    void executionOutputsRecordedRevisionOneReadsWithNoFiles() {
        String v1 = """
                {"tenant":"main","executionId":"e1","outputs":{"result":"ok"},"at":"2026-11-26T10:15:30Z"}""";

        ExecutionOutputsRecorded event = (ExecutionOutputsRecorded) read(ExecutionOutputsRecorded.class, v1);

        assertThat(event.files()).isEmpty();
        assertThat(event.blobUris()).isEmpty();
        assertThat(event.outputs().get("result").asText()).isEqualTo("ok");
    }

    @Test
    void executionVariablesSetRevisionOneReadsWithNoFiles() {
        String v1 = """
                {"tenant":"main","executionId":"e1","variables":{"retries":2},"at":"2026-11-26T10:15:30Z"}""";

        ExecutionVariablesSet event = (ExecutionVariablesSet) read(ExecutionVariablesSet.class, v1);

        assertThat(event.files()).isEmpty();
        assertThat(event.variables().get("retries").asInt()).isEqualTo(2);
        assertThat(event.at()).isEqualTo(Instant.parse("2026-11-26T10:15:30Z"));
    }

    @Test
    void executionOutputsAndVariablesOfRevisionTwoKeepTheirFiles() {
        String uri = "osprey:///main/company.team/hello/executions/e1/outputs/u1/big/value.json";
        String v2 = """
                {"tenant":"main","executionId":"e1","outputs":{"big":"%s"},
                 "files":[{"name":"big","uri":"%s","size":2002,"sha256":"ab"}],"at":"2026-11-26T10:15:30Z"}"""
                .formatted(uri, uri);

        ExecutionOutputsRecorded outputs = (ExecutionOutputsRecorded) read(ExecutionOutputsRecorded.class, v2, "2");
        ExecutionVariablesSet variables = (ExecutionVariablesSet) read(ExecutionVariablesSet.class,
                v2.replace("\"outputs\"", "\"variables\"").replace("/outputs/", "/variables/"), "2");

        assertThat(outputs.files()).containsExactly(new FileReference("big", uri, 2002, "ab"));
        assertThat(outputs.blobUris()).containsExactly(uri);
        assertThat(variables.blobUris()).containsExactly(uri.replace("/outputs/", "/variables/"));
        assertThat(variables.variables().get("big").asText()).isEqualTo(uri.replace("/outputs/", "/variables/"));
    }

    @Test
    void revisionTwoPassesUnchanged() {
        String uri = "osprey:///main/company.team/hello/executions/e1/tasks/extract/t1/u1/report/r.csv";
        String v2 = """
                {"tenant":"main","executionId":"e1","taskRunId":"t1","outputs":{"report":"%s"},
                 "files":[{"name":"report","uri":"%s","size":3,"sha256":"ab"}],"at":"2026-11-26T10:15:30Z"}"""
                .formatted(uri, uri);

        TaskRunOutputsRecorded event = (TaskRunOutputsRecorded) read(TaskRunOutputsRecorded.class, v2, "2");

        assertThat(event.files()).containsExactly(new FileReference("report", uri, 3, "ab"));
        assertThat(event.blobUris()).containsExactly(uri);
    }

    private Object read(Class<?> type, String json) {
        return read(type, json, "1");
    }

    private Object read(Class<?> type, String json, String revision) {
        GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>("Execution", "main/e1", 0, "id-1",
                Instant.now(), type.getName(), revision, json.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
        List<IntermediateEventRepresentation> upcast = chain.upcast(
                Stream.of(new InitialEventRepresentation(entry, serializer))).toList();
        assertThat(upcast).hasSize(1);
        assertThat(upcast.get(0).getType().getRevision()).isEqualTo("2");
        return serializer.deserialize(upcast.get(0).getData());
    }
}
