package io.osprey.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.blob.BlobUri;
import io.osprey.blob.local.LocalBlobStore;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpFiles.Download;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Executions with files across two separate applications, as in production: command side and query side on one
 * PostgreSQL database and one blob store (a shared local directory). An execution created from a form with an
 * input file and a large value shows both as URIs on the query side, which serves their bytes; task-run output
 * files likewise.
 */
class ExecutionFilesSeparateSidesTest {

    @TempDir
    static Path blobRoot;
    private static SeparateSides sides;
    private static HttpFiles commands;
    private static HttpJson commandJson;
    private static HttpFiles downloads;
    private static HttpJson queries;

    @BeforeAll
    static void start() {
        sides = new SeparateSides(blobRoot);
        commands = new HttpFiles(sides.commandUrl());
        commandJson = new HttpJson(sides.commandUrl());
        queries = new HttpJson(sides.queryUrl());
        downloads = new HttpFiles(sides.queryUrl());
    }

    @AfterAll
    static void stop() {
        if (sides != null) {
            sides.close();
        }
    }

    private static Reply ok(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(200, 201);
        return reply;
    }

    /** A multipart/form-data body of text fields and one file part. */
    private static Reply form(String path, Map<String, String> fields, String fileField, String fileName, byte[] content) {
        return ok(commands.form(path, fields, fileField, fileName, content));
    }

    private static JsonNode view(String executionId, Reply after) {
        Reply view = queries.get("/api/v1/main/executions/" + executionId + "?position=" + after.header("Osprey-Position"));
        assertThat(view.status()).as(view.body()).isEqualTo(200);
        assertThat(view.header("Osprey-Position-Reached")).isEqualTo("true");
        return view.json();
    }

    private static Download download(String executionId, String uri, String... headers) {
        return downloads.download("/api/v1/main/executions/" + executionId + "/file?path=" + HttpFiles.encode(uri), headers);
    }

    @Test
    void aHeadDescribesAFileAndAnswersAsAGetWouldWhenItsBytesAreGone() {
        Reply created = form("/api/v1/main/executions", Map.of("namespace", "company.head", "flowId", "etl", "flowRevision", "1"),
                "data", "data.bin", new byte[200_000]);
        String id = created.json().get("id").asText();
        String uri = view(id, created).get("inputs").get("data").asText();
        String file = "/api/v1/main/executions/" + id + "/file?path=" + HttpFiles.encode(uri);

        Download head = downloads.head(file);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("200000");
        assertThat(head.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(head.body()).isEmpty();

        // the bytes deleted from the store behind Osprey's back: a 404 naming it, as for a GET (a HEAD said 200)
        try (LocalBlobStore store = new LocalBlobStore(blobRoot)) {
            assertThat(store.delete(BlobUri.parse(uri))).isTrue();
        }
        assertThat(downloads.head(file).status()).isEqualTo(404);
        Download get = downloads.download(file);
        assertThat(get.status()).isEqualTo(404);
        assertThat(new String(get.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"rule\":\"blob-missing\"");
    }

    @Test
    void filesGoInOnTheCommandSideAndComeOutOnTheQuerySide() {
        byte[] data = new byte[256 * 1024 + 3];
        new Random(7).nextBytes(data);
        Map<String, String> fields = new HashMap<>(Map.of("namespace", "company.team", "flowId", "etl", "flowRevision", "1",
                "rows", "5", "notes", "n".repeat(3000)));
        Reply created = form("/api/v1/main/executions", fields, "data", "data.bin", data);
        String id = created.json().get("id").asText();

        JsonNode execution = view(id, created);
        String dataUri = execution.get("inputs").get("data").asText();
        String notesUri = execution.get("inputs").get("notes").asText();
        assertThat(dataUri).startsWith("osprey:///main/company.team/etl/executions/" + id + "/inputs/data/").endsWith("/data.bin");
        assertThat(notesUri).endsWith("/value.json");
        assertThat(execution.get("inputs").get("rows").asInt()).isEqualTo(5);
        assertThat(execution.get("files")).hasSize(2);

        Download whole = download(id, dataUri);
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(data);
        Download part = download(id, dataUri, "Range", "bytes=100-199");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.body()).hasSize(100);
        assertThat(new String(download(id, notesUri).body(), StandardCharsets.UTF_8)).isEqualTo("\"" + "n".repeat(3000) + "\"");
        Reply metas = queries.get("/api/v1/main/executions/" + id + "/file/metas?path=" + HttpFiles.encode(dataUri));
        assertThat(metas.json().get("size").asLong()).isEqualTo(data.length);

        String taskRunId = ok(commandJson.post("/api/v1/main/executions/" + id + "/taskruns", "{\"taskId\":\"load\"}"))
                .json().get("taskRunId").asText();
        Reply outputs = ok(commands.putForm("/api/v1/main/executions/" + id + "/taskruns/" + taskRunId + "/outputs",
                Map.of("count", "3"), "report", "report.txt", "loaded 3 rows".getBytes(StandardCharsets.UTF_8)));
        JsonNode after = view(id, outputs);
        String reportUri = after.get("taskRunList").get(0).get("outputs").get("report").asText();
        assertThat(reportUri).contains("/tasks/load/" + taskRunId + "/").endsWith("/report/report.txt");
        assertThat(after.get("files")).hasSize(3);
        assertThat(new String(download(id, reportUri).body(), StandardCharsets.UTF_8)).isEqualTo("loaded 3 rows");

        String other = ok(commandJson.post("/api/v1/main/executions",
                "{\"namespace\":\"company.team\",\"flowId\":\"etl\",\"flowRevision\":1}")).json().get("id").asText();
        assertThat(download(other, dataUri).status()).isEqualTo(404);
    }
}
