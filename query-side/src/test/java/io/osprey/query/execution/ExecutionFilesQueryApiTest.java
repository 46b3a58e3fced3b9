package io.osprey.query.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.osprey.blob.BlobInfo;
import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobUri;
import io.osprey.events.ReferencesBlobs;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.ExecutionOutputsRecorded;
import io.osprey.events.execution.ExecutionVariablesSet;
import io.osprey.events.execution.FileReference;
import io.osprey.events.execution.TaskRunCreated;
import io.osprey.events.execution.TaskRunOutputsRecorded;
import io.osprey.query.QuerySide;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpFiles.Download;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.springframework.core.env.Environment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files of executions on a real query-side application (PostgreSQL, local blob store): the view shows blob-backed
 * inputs, outputs and variables as their URIs and lists the files; a download serves only a file recorded for that
 * execution, with its length, type and ranges; metas gives its size.
 */
class ExecutionFilesQueryApiTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String CSV = "id,name\n1,osprey\n2,kestra\n";

    @TempDir
    static Path blobRoot;
    private static QuerySide querySide;
    private static HttpFiles files;
    private static FileReference data;
    private static FileReference big;
    private static FileReference report;
    private static FileReference otherFile;
    private static long position;

    @BeforeAll
    static void start() {
        querySide = QuerySide.start("--osprey.blob.local.root=" + blobRoot);
        files = new HttpFiles("http://127.0.0.1:" + querySide.bean(Environment.class).getProperty("local.server.port"));

        data = store("data", BlobPaths.executionInput("main", "company.team", "hello", "withfiles", "data", "f1"), "data.csv", CSV);
        big = store("big", BlobPaths.executionInput("main", "company.team", "hello", "withfiles", "big", "f1"), "value.json",
                "\"" + "x".repeat(2000) + "\"");
        report = store("report", BlobPaths.taskOutput("main", "company.team", "hello", "withfiles", "extract", "tr1", "f2"),
                "report.txt", "the report");
        otherFile = store("data", BlobPaths.executionInput("main", "company.team", "hello", "other", "data", "f3"), "data.csv",
                "not yours");

        querySide.append("main", "withfiles",
                new ExecutionCreated("main", "withfiles", "company.team", "hello", 1, List.of(),
                        Map.of("rows", IntNode.valueOf(3), "data", TextNode.valueOf(data.uri()), "big", TextNode.valueOf(big.uri())),
                        null, null, List.of(data, big), T0),
                new TaskRunCreated("main", "withfiles", "tr1", "extract", null, null, null, 1, T0.plusSeconds(1)),
                new TaskRunOutputsRecorded("main", "withfiles", "tr1", Map.of("report", TextNode.valueOf(report.uri()),
                        "count", IntNode.valueOf(2)), List.of(report), T0.plusSeconds(2)));
        position = querySide.append("main", "other",
                new ExecutionCreated("main", "other", "company.team", "hello", 1, List.of(),
                        Map.of("data", TextNode.valueOf(otherFile.uri())), null, null, List.of(otherFile), T0));
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    /** Stores the content as a blob at {@code path} ('/'-separated) below {@code folder}, as command-side does. */
    private static FileReference store(String name, BlobUri folder, String path, String content) {
        List<String> segments = new ArrayList<>(folder.segments());
        segments.addAll(List.of(path.split("/")));
        BlobUri uri = BlobUri.of(folder.tenant(), folder.namespace(), segments.toArray(String[]::new));
        try {
            BlobInfo blob = querySide.bean(BlobStore.class).put(uri, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
            return new FileReference(name, blob.uri().toString(), blob.size(), blob.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String file(String executionId, String uri) {
        return file(executionId, uri, position);
    }

    private static String file(String executionId, String uri, long at) {
        return "/api/v1/main/executions/" + executionId + "/file?path=" + HttpFiles.encode(uri) + "&position=" + at;
    }

    private static String text(Download download) {
        return new String(download.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theViewShowsBlobValuesAsUrisAndListsTheFiles() {
        JsonNode execution = querySide.getAt("/api/v1/main/executions/withfiles", position).json();

        assertThat(execution.get("inputs").get("data").asText()).isEqualTo(data.uri());
        assertThat(execution.get("inputs").get("big").asText()).isEqualTo(big.uri());
        assertThat(execution.get("inputs").get("rows").asInt()).isEqualTo(3);
        assertThat(execution.get("taskRunList").get(0).get("outputs").get("report").asText()).isEqualTo(report.uri());
        JsonNode listed = execution.get("files");
        assertThat(listed).hasSize(3);
        assertThat(listed.get(0).get("name").asText()).isEqualTo("big");
        assertThat(listed.get(0).get("kind").asText()).isEqualTo("inputs");
        assertThat(listed.get(0).has("taskRunId")).isFalse();
        assertThat(listed.get(1).get("name").asText()).isEqualTo("data");
        assertThat(listed.get(1).get("uri").asText()).isEqualTo(data.uri());
        assertThat(listed.get(1).get("size").asLong()).isEqualTo(CSV.length());
        assertThat(listed.get(1).get("sha256").asText()).isEqualTo(data.sha256());
        assertThat(listed.get(2).get("name").asText()).isEqualTo("report");
        assertThat(listed.get(2).get("kind").asText()).isEqualTo("outputs");
        assertThat(listed.get(2).get("taskRunId").asText()).isEqualTo("tr1");

        Reply search = querySide.getAt("/api/v1/main/executions/search?flowId=hello", position);
        assertThat(search.json().get("results").get(0).has("files")).isFalse();
    }

    @Test
    void aFileOfTheExecutionDownloadsWithLengthTypeAndRanges() {
        Download whole = files.download(file("withfiles", data.uri()));
        assertThat(whole.status()).isEqualTo(200);
        assertThat(text(whole)).isEqualTo(CSV);
        assertThat(whole.header("Content-Length")).isEqualTo(Integer.toString(CSV.length()));
        assertThat(whole.header("Content-Type")).startsWith("text/csv");
        assertThat(whole.header("Content-Disposition")).contains("data.csv");
        assertThat(whole.header("Accept-Ranges")).isEqualTo("bytes");

        Download range = files.download(file("withfiles", data.uri()), "Range", "bytes=8-15");
        assertThat(range.status()).isEqualTo(206);
        assertThat(text(range)).isEqualTo(CSV.substring(8, 16));
        assertThat(range.header("Content-Range")).isEqualTo("bytes 8-15/" + CSV.length());
        assertThat(range.header("Content-Length")).isEqualTo("8");

        Download suffix = files.download(file("withfiles", data.uri()), "Range", "bytes=-7");
        assertThat(suffix.status()).isEqualTo(206);
        assertThat(text(suffix)).isEqualTo(CSV.substring(CSV.length() - 7));

        Download beyond = files.download(file("withfiles", data.uri()), "Range", "bytes=1000-");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + CSV.length());
        assertThat(beyond.header("Content-Type")).startsWith("application/problem+json");

        Download several = files.download(file("withfiles", data.uri()), "Range", "bytes=0-1,4-5");
        assertThat(several.status()).isEqualTo(200);
        assertThat(text(several)).isEqualTo(CSV);

        Download output = files.download(file("withfiles", report.uri()));
        assertThat(output.status()).isEqualTo(200);
        assertThat(text(output)).isEqualTo("the report");
        assertThat(output.header("Content-Type")).startsWith("text/plain");
    }

    @Test
    void aRecordedFileWhoseBytesTheStoreLacksIsA404NamingItForAGetAndAHead() {
        FileReference lost = store("data", BlobPaths.executionInput("main", "company.team", "hello", "lostfile", "data", "f9"),
                "data.csv", CSV);
        long at = querySide.append("main", "lostfile", new ExecutionCreated("main", "lostfile", "company.team", "hello", 1,
                List.of(), Map.of("data", TextNode.valueOf(lost.uri())), null, null, List.of(lost), T0));
        // deleted behind Osprey's back, or a node configured with another store
        assertThat(querySide.bean(BlobStore.class).delete(BlobUri.parse(lost.uri()))).isTrue();

        Download get = files.download(file("lostfile", lost.uri(), at));
        assertThat(get.status()).isEqualTo(404);
        assertThat(get.header("Content-Type")).startsWith("application/problem+json");
        assertThat(text(get)).contains("\"rule\":\"blob-missing\"", "\"field\":\"path\"");
        assertThat(files.head(file("lostfile", lost.uri(), at)).status()).isEqualTo(404);
        Download metas = files.download(file("lostfile", lost.uri(), at).replace("/file?", "/file/metas?"));
        assertThat(metas.status()).isEqualTo(404);
        assertThat(text(metas)).contains("\"rule\":\"blob-missing\"");
    }

    /** Small (within the response buffer) and large: both cut at once, not left waiting for Tomcat's timeout. */
    @ParameterizedTest
    @ValueSource(ints = {100, 300_000})
    void aFileWhoseStoredBytesAreFewerThanRecordedIsCutAtOnce(int size) throws IOException {
        String id = "truncated" + size;
        FileReference truncated = store("data", BlobPaths.executionInput("main", "company.team", "hello", id, "data", "f1"),
                "data.bin", "x".repeat(size));
        long at = querySide.append("main", id, new ExecutionCreated("main", id, "company.team", "hello", 1,
                List.of(), Map.of("data", TextNode.valueOf(truncated.uri())), null, null, List.of(truncated), T0));
        // the local store's file for the key, cut behind Osprey's back
        Path blob = blobRoot.resolve(BlobUri.parse(truncated.uri()).key() + "+blob");
        try (FileChannel channel = FileChannel.open(blob, StandardOpenOption.WRITE)) {
            channel.truncate(size / 2);
        }

        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + querySide.bean(Environment.class).getProperty("local.server.port") + file(id, truncated.uri(), at)))
                .build();
        // the request timeout stops at the headers: the body's wait is bounded here, well under Tomcat's 60 s
        CompletableFuture<HttpResponse<byte[]>> reply = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThatThrownBy(() -> reply.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void metasGiveTheSize() {
        Reply metas = querySide.getAt("/api/v1/main/executions/withfiles/file/metas?path=" + HttpFiles.encode(big.uri()), position);
        assertThat(metas.status()).isEqualTo(200);
        assertThat(metas.json().get("size").asLong()).isEqualTo(big.size()).isEqualTo(2002);
    }

    @Test
    void onlyFilesRecordedForThatExecutionAreServed() {
        Download ofAnother = files.download(file("withfiles", otherFile.uri()));
        assertThat(ofAnother.status()).isEqualTo(404);
        assertThat(files.download(file("other", otherFile.uri())).status()).isEqualTo(200);
        assertThat(files.download(file("withfiles", data.uri().replace("data.csv", "nothing.csv"))).status()).isEqualTo(404);
        assertThat(files.download(file("nosuch", data.uri())).status()).isEqualTo(404);
        assertThat(files.download("/api/v1/acme/executions/withfiles/file?path=" + HttpFiles.encode(data.uri())).status())
                .isEqualTo(404);
        assertThat(files.download(file("withfiles", otherFile.uri()).replace("/file?", "/file/metas?")).status())
                .isEqualTo(404);

        Download notAUri = files.download("/api/v1/main/executions/withfiles/file?path=" + HttpFiles.encode("/etc/passwd"));
        assertThat(notAUri.status()).isEqualTo(400);
        assertThat(files.download("/api/v1/main/executions/withfiles/file").status()).isEqualTo(400);
    }

    @Test
    void replacedOutputsReplaceTheTaskRunsFiles() {
        FileReference first = store("out", BlobPaths.taskOutput("main", "company.team", "hello", "replaced", "t", "tr9", "a"),
                "one.txt", "one");
        FileReference second = store("out", BlobPaths.taskOutput("main", "company.team", "hello", "replaced", "t", "tr9", "b"),
                "two.txt", "two");
        long at = querySide.append("main", "replaced",
                new ExecutionCreated("main", "replaced", "company.team", "hello", 1, List.of(), Map.of(), null, null, T0),
                new TaskRunCreated("main", "replaced", "tr9", "t", null, null, null, 1, T0),
                new TaskRunOutputsRecorded("main", "replaced", "tr9", Map.of("out", TextNode.valueOf(first.uri())),
                        List.of(first), T0.plusSeconds(1)),
                new TaskRunOutputsRecorded("main", "replaced", "tr9", Map.of("out", TextNode.valueOf(second.uri())),
                        List.of(second), T0.plusSeconds(2)));

        JsonNode listed = querySide.getAt("/api/v1/main/executions/replaced", at).json().get("files");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("uri").asText()).isEqualTo(second.uri());
    }

    @Test
    void executionOutputsAndVariablesStoredAsBlobsShowAsUrisAreListedAndServed() {
        String large = "\"" + "v".repeat(1500) + "\"";
        FileReference input = store("data", BlobPaths.executionInput("main", "company.team", "hello", "flowvalues", "data", "f1"),
                "data.csv", CSV);
        FileReference firstOutput = store("big", BlobPaths.executionOutput("main", "company.team", "hello", "flowvalues", "f2"),
                "big/value.json", large);
        FileReference variable = store("large", BlobPaths.executionVariable("main", "company.team", "hello", "flowvalues", "f3"),
                "large/value.json", large);
        FileReference output = store("report", BlobPaths.executionOutput("main", "company.team", "hello", "flowvalues", "f4"),
                "report/report.txt", "final report");
        long at = querySide.append("main", "flowvalues",
                new ExecutionCreated("main", "flowvalues", "company.team", "hello", 1, List.of(),
                        Map.of("data", TextNode.valueOf(input.uri())), null, null, List.of(input), T0),
                new ExecutionOutputsRecorded("main", "flowvalues", Map.of("big", TextNode.valueOf(firstOutput.uri())),
                        List.of(firstOutput), T0.plusSeconds(1)),
                new ExecutionVariablesSet("main", "flowvalues", Map.of("large", TextNode.valueOf(variable.uri()),
                        "retries", IntNode.valueOf(2)), List.of(variable), T0.plusSeconds(2)),
                new ExecutionOutputsRecorded("main", "flowvalues", Map.of("report", TextNode.valueOf(output.uri()),
                        "count", IntNode.valueOf(7)), List.of(output), T0.plusSeconds(3)));

        JsonNode execution = querySide.getAt("/api/v1/main/executions/flowvalues", at).json();
        assertThat(execution.get("outputs").get("report").asText()).isEqualTo(output.uri())
                .contains("/executions/flowvalues/outputs/");
        assertThat(execution.get("outputs").get("count").asInt()).isEqualTo(7);
        assertThat(execution.get("outputs").has("big")).isFalse();
        assertThat(execution.get("variables").get("large").asText()).isEqualTo(variable.uri())
                .contains("/executions/flowvalues/variables/");
        assertThat(execution.get("variables").get("retries").asInt()).isEqualTo(2);
        List<String> listed = new ArrayList<>();
        execution.get("files").forEach(file -> listed.add(file.get("kind").asText() + " " + file.get("name").asText()
                + " " + file.get("uri").asText()));
        assertThat(listed).as("the replaced outputs' file is no longer the execution's").containsExactly(
                "inputs data " + input.uri(), "outputs report " + output.uri(), "variables large " + variable.uri());

        Download value = files.download(file("flowvalues", variable.uri(), at));
        assertThat(value.status()).isEqualTo(200);
        assertThat(text(value)).isEqualTo(large);
        assertThat(value.header("Content-Type")).startsWith("application/json");
        assertThat(value.header("Content-Length")).isEqualTo(Long.toString(variable.size()));
        Download report = files.download(file("flowvalues", output.uri(), at));
        assertThat(text(report)).isEqualTo("final report");
        Reply metas = querySide.getAt("/api/v1/main/executions/flowvalues/file/metas?path=" + HttpFiles.encode(output.uri()), at);
        assertThat(metas.json().get("size").asLong()).isEqualTo("final report".length());
        assertThat(files.download(file("flowvalues", firstOutput.uri(), at)).status()).isEqualTo(404);
        assertThat(files.download(file("withfiles", variable.uri(), at)).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(classes = {TaskRunOutputsRecorded.class, ExecutionOutputsRecorded.class, ExecutionVariablesSet.class})
    void theApplicationsUpcasterChainReadsRevisionOneEventsWithNoFiles(Class<?> type) {
        String field = type == ExecutionVariablesSet.class ? "variables" : "outputs";
        String v1 = "{\"tenant\":\"main\",\"executionId\":\"e1\","
                + (type == TaskRunOutputsRecorded.class ? "\"taskRunId\":\"t1\"," : "")
                + "\"" + field + "\":{\"n\":1},\"at\":\"2026-11-26T10:00:00Z\"}";
        GenericDomainEventEntry<byte[]> stored = new GenericDomainEventEntry<>("ExecutionAggregate", "main/executions/e1", 3,
                "event-1", T0, type.getName(), "1", v1.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
        Serializer serializer = querySide.bean(Configuration.class).eventSerializer();

        List<IntermediateEventRepresentation> read = querySide.bean(Configuration.class).upcasterChain()
                .upcast(Stream.of(new InitialEventRepresentation(stored, serializer))).toList();

        assertThat(read).hasSize(1);
        assertThat(read.get(0).getType().getRevision()).isEqualTo("2");
        Object event = serializer.deserialize(read.get(0).getData());
        assertThat(event).isInstanceOf(type);
        assertThat(((ReferencesBlobs) event).blobUris()).isEmpty();
        JsonNode values = read.get(0).getData(JsonNode.class).getData();
        assertThat(values.get(field).get("n").asInt()).isEqualTo(1);
        assertThat(values.get("files")).isEmpty();
    }
}
