package io.osprey.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobUri;
import io.osprey.command.CommandSide;
import io.osprey.events.EventSerialization;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Executions with files, on a real command-side application, a fresh PostgreSQL database and a local blob store
 * in a temporary directory: multipart creation, task-run and execution outputs, variables, large values stored as
 * blobs, and refused commands leaving no blob behind.
 */
class ExecutionFilesCommandApiTest {

    /** The events' own mapper: decimals read as sent. */
    private static final ObjectMapper JSON = EventSerialization.objectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String CSV = "id,name\n1,osprey\n";

    @TempDir
    static Path blobRoot;
    private static CommandSide commandSide;
    private static HttpFiles files;
    private static HttpJson http;
    private static String baseUrl;

    @BeforeAll
    static void start() {
        commandSide = CommandSide.start("--osprey.blob.local.root=" + blobRoot);
        baseUrl = commandSide.baseUrl();
        files = new HttpFiles(baseUrl);
        http = new HttpJson(baseUrl);
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    /** A multipart/form-data body: fields (name to text) and files (name to file name and bytes). */
    static final class Form {
        private final String boundary = "osprey-" + UUID.randomUUID();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Form field(String name, String value) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Form field(String name, byte[] value) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(value);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Form file(String name, String fileName, byte[] content) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + fileName + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** A part with the given Content-Disposition header, or none when null. */
        Form part(String disposition, String content) {
            body.writeBytes(("--" + boundary + "\r\n" + (disposition == null ? "" : "Content-Disposition: " + disposition + "\r\n")
                    + "\r\n" + content + "\r\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(body.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return all.toByteArray();
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }
    }

    private static Reply post(String path, Form form) {
        return files.post(path, form.bytes(), form.contentType());
    }

    /** HttpFiles has no multipart PUT. */
    private static Reply put(String path, Form form, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", form.contentType()).PUT(HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Reply expect(int status, Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        return reply;
    }

    private static BlobStore blobs() {
        return commandSide.app().getBean(BlobStore.class);
    }

    private static long payloadsCount() {
        try (Connection connection = commandSide.database().connect(); PreparedStatement statement =
                connection.prepareStatement("SELECT COUNT(*) FROM domain_event_entry"); ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> payloads(String executionId, String type) {
        List<JsonNode> payloads = new ArrayList<>();
        try (Connection connection = commandSide.database().connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT payload, payload_revision FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type = ? "
                        + "ORDER BY sequence_number")) {
            statement.setString(1, "main/executions/" + executionId);
            statement.setString(2, "io.osprey.events.execution." + type);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    assertThat(rows.getString("payload_revision")).isEqualTo("2");
                    payloads.add(JSON.readTree(rows.getBytes("payload")));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
        return payloads;
    }

    private static byte[] blob(String uri) throws IOException {
        try (InputStream in = blobs().get(BlobUri.parse(uri)).orElseThrow()) {
            return in.readAllBytes();
        }
    }

    private static int blobCount(String namespace, String flowId, String executionId) {
        return blobs().list(BlobPaths.execution("main", namespace, flowId, executionId), null, 1000).entries().size();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String createExecution(String flowId) {
        return expect(201, http.post("/api/v1/main/executions", "{\"namespace\":\"company.team\",\"flowId\":\"" + flowId
                + "\",\"flowRevision\":1}")).json().get("id").asText();
    }

    private static Map<String, JsonNode> byName(JsonNode files) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        files.forEach(file -> byName.put(file.get("name").asText(), file));
        return byName;
    }

    @Test
    void aFormCreatesAnExecutionWithInputFilesInlineValuesAndLargeValuesAsBlobs() throws IOException {
        String big = "x".repeat(2000);
        Reply reply = expect(201, post("/api/v1/main/executions", new Form()
                .field("namespace", "company.team").field("flowId", "hello").field("flowRevision", "2")
                .field("labels", "[{\"key\":\"env\",\"value\":\"prod\"}]")
                .field("rows", "10").field("name", "osprey").field("options", "{\"a\":true}").field("big", big)
                .file("data", "data.csv", CSV.getBytes(StandardCharsets.UTF_8))));
        String id = reply.json().get("id").asText();

        JsonNode created = payloads(id, "ExecutionCreated").get(0);
        JsonNode inputs = created.get("inputs");
        assertThat(inputs.get("rows").asInt()).isEqualTo(10);
        assertThat(inputs.get("name").asText()).isEqualTo("osprey");
        assertThat(inputs.get("options").get("a").asBoolean()).isTrue();
        assertThat(created.get("flowRevision").asInt()).isEqualTo(2);
        assertThat(created.get("labels").get(0).get("value").asText()).isEqualTo("prod");
        Map<String, JsonNode> stored = byName(created.get("files"));
        assertThat(stored).containsOnlyKeys("data", "big");

        JsonNode data = stored.get("data");
        assertThat(inputs.get("data").asText()).isEqualTo(data.get("uri").asText())
                .startsWith("osprey:///main/company.team/hello/executions/" + id + "/inputs/data/").endsWith("/data.csv");
        assertThat(data.get("size").asLong()).isEqualTo(CSV.length());
        assertThat(data.get("sha256").asText()).isEqualTo(sha256(CSV.getBytes(StandardCharsets.UTF_8)));
        assertThat(blob(data.get("uri").asText())).isEqualTo(CSV.getBytes(StandardCharsets.UTF_8));

        JsonNode bigFile = stored.get("big");
        assertThat(inputs.get("big").asText()).isEqualTo(bigFile.get("uri").asText()).endsWith("/value.json");
        byte[] bigJson = blob(bigFile.get("uri").asText());
        assertThat(JSON.readTree(bigJson).asText()).isEqualTo(big);
        assertThat(bigFile.get("sha256").asText()).isEqualTo(sha256(bigJson));
    }

    @Test
    void aFileTooLargeToHoldInMemoryIsKeptInATemporaryFileGoneWhenTheRequestEnds() throws IOException {
        byte[] content = new byte[300 * 1024];
        new java.util.Random(7).nextBytes(content);
        // another process may have left its own behind (one killed mid-request): only this request's count
        List<Path> before = spooledFiles();

        Reply reply = expect(201, post("/api/v1/main/executions", creation("spooled").file("data", "data.bin", content)));

        JsonNode data = payloads(reply.json().get("id").asText(), "ExecutionCreated").get(0).get("files").get(0);
        assertThat(data.get("size").asLong()).isEqualTo(content.length);
        assertThat(data.get("sha256").asText()).isEqualTo(sha256(content));
        assertThat(blob(data.get("uri").asText())).isEqualTo(content);
        await().atMost(Duration.ofSeconds(10)).until(() -> before.containsAll(spooledFiles()));
    }

    private static List<Path> spooledFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(file -> file.getFileName().toString().startsWith("osprey-form-")).toList();
        }
    }

    @Test
    void aLargeValueSentAsJsonIsStoredAsABlobToo() throws IOException {
        String big = "y".repeat(1500);
        Reply reply = expect(201, http.post("/api/v1/main/executions", "{\"namespace\":\"company.team\",\"flowId\":\"json\","
                + "\"flowRevision\":1,\"inputs\":{\"small\":1,\"big\":\"" + big + "\"}}"));
        String id = reply.json().get("id").asText();

        JsonNode created = payloads(id, "ExecutionCreated").get(0);
        assertThat(created.get("inputs").get("small").asInt()).isEqualTo(1);
        String uri = created.get("inputs").get("big").asText();
        assertThat(created.get("files").get(0).get("uri").asText()).isEqualTo(uri);
        assertThat(JSON.readTree(blob(uri)).asText()).isEqualTo(big);
    }

    @Test
    void aRefusedCreationLeavesNoBlob() {
        Form form = new Form().field("id", "taken-1").field("namespace", "company.team").field("flowId", "refused")
                .field("flowRevision", "1").file("data", "data.csv", CSV.getBytes(StandardCharsets.UTF_8));
        expect(201, post("/api/v1/main/executions", form));
        assertThat(blobCount("company.team", "refused", "taken-1")).isEqualTo(1);

        Reply again = post("/api/v1/main/executions", new Form().field("id", "taken-1").field("namespace", "company.team")
                .field("flowId", "refused").field("flowRevision", "1")
                .field("big", "z".repeat(3000)).file("data", "other.csv", "other".getBytes(StandardCharsets.UTF_8)));

        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(blobCount("company.team", "refused", "taken-1")).isEqualTo(1);
        assertThat(payloads("taken-1", "ExecutionCreated")).hasSize(1);
    }

    @Test
    void anInvalidFormIsRefusedBeforeAnyBlobIsStored() {
        Reply reply = post("/api/v1/main/executions", new Form().field("id", "invalid-1").field("namespace", "company.team")
                .field("flowId", "invalid").file("bad name!", "x.csv", CSV.getBytes(StandardCharsets.UTF_8)));

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.body()).contains("flowRevision").contains("inputs.bad name!");
        assertThat(blobCount("company.team", "invalid", "invalid-1")).isZero();
    }

    @Test
    void taskRunOutputsTakeFilesAndLargeValues() throws IOException {
        String id = expect(201, http.post("/api/v1/main/executions",
                "{\"namespace\":\"company.team\",\"flowId\":\"outputs\",\"flowRevision\":1}")).json().get("id").asText();
        String base = "/api/v1/main/executions/" + id;
        String taskRunId = expect(201, http.post(base + "/taskruns", "{\"taskId\":\"extract\"}")).json().get("taskRunId").asText();
        String big = "w".repeat(1200);

        expect(200, put(base + "/taskruns/" + taskRunId + "/outputs", new Form()
                .field("count", "42").field("big", big).file("report", "report.csv", CSV.getBytes(StandardCharsets.UTF_8))));
        expect(200, http.put(base + "/taskruns/" + taskRunId + "/outputs", "{\"n\":1,\"large\":\"" + big + "\"}"));

        List<JsonNode> recorded = payloads(id, "TaskRunOutputsRecorded");
        assertThat(recorded).hasSize(2);
        JsonNode first = recorded.get(0);
        assertThat(first.get("outputs").get("count").asInt()).isEqualTo(42);
        Map<String, JsonNode> stored = byName(first.get("files"));
        assertThat(stored).containsOnlyKeys("report", "big");
        String report = stored.get("report").get("uri").asText();
        assertThat(first.get("outputs").get("report").asText()).isEqualTo(report)
                .startsWith("osprey:///main/company.team/outputs/executions/" + id + "/tasks/extract/" + taskRunId + "/")
                .endsWith("/report/report.csv");
        assertThat(blob(report)).isEqualTo(CSV.getBytes(StandardCharsets.UTF_8));
        assertThat(stored.get("report").get("sha256").asText()).isEqualTo(sha256(CSV.getBytes(StandardCharsets.UTF_8)));
        JsonNode second = recorded.get(1);
        assertThat(second.get("outputs").get("n").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(blob(second.get("outputs").get("large").asText())).asText()).isEqualTo(big);
        assertThat(blobCount("company.team", "outputs", id)).isEqualTo(3);
    }

    @Test
    void outputsOfAnUnknownTaskRunOrARefusedChangeLeaveNoBlob() {
        String id = expect(201, http.post("/api/v1/main/executions",
                "{\"namespace\":\"company.team\",\"flowId\":\"stale\",\"flowRevision\":1}")).json().get("id").asText();
        String base = "/api/v1/main/executions/" + id;
        String taskRunId = expect(201, http.post(base + "/taskruns", "{\"taskId\":\"extract\"}")).json().get("taskRunId").asText();

        Reply unknown = put(base + "/taskruns/ghost/outputs", new Form().file("report", "r.csv", new byte[]{1, 2, 3}));
        Reply stale = put(base + "/taskruns/" + taskRunId + "/outputs", new Form().file("report", "r.csv", new byte[]{1}),
                "If-Match", "\"0\"");
        Reply accepted = put(base + "/taskruns/" + taskRunId + "/outputs", new Form().file("report", "r.csv", new byte[]{1}));
        Reply staleVersion = http.put(base + "/taskruns/" + taskRunId + "/outputs", "{\"large\":\"" + "v".repeat(2000) + "\"}",
                "If-Match", "\"0\"");

        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(stale.status()).as(stale.body()).isEqualTo(412);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(staleVersion.status()).as(staleVersion.body()).isEqualTo(412);
        assertThat(blobCount("company.team", "stale", id)).isEqualTo(1);
        assertThat(payloads(id, "TaskRunOutputsRecorded")).hasSize(1);
    }

    @Test
    void executionOutputsAndVariablesKeepSmallValuesInlineAndStoreLargeOnesAsBlobs() throws IOException {
        String id = createExecution("values");
        String base = "/api/v1/main/executions/" + id;
        String big = "o".repeat(1100);
        String edge = "e".repeat(1022); // 1024 bytes as JSON: the threshold itself stays inline
        JsonNode large = JSON.readTree("{\"rows\":[" + "1,".repeat(600) + "1]}");

        expect(200, http.put(base + "/outputs", "{\"big\":\"" + big + "\",\"n\":1,\"edge\":\"" + edge + "\"}"));
        expect(200, http.put(base + "/variables", "{\"retries\":2,\"large\":" + large + "}"));
        expect(200, put(base + "/outputs", new Form().field("count", "42").field("big", big)
                .file("report", "report.csv", CSV.getBytes(StandardCharsets.UTF_8))));

        List<JsonNode> outputs = payloads(id, "ExecutionOutputsRecorded");
        assertThat(outputs).hasSize(2);
        JsonNode first = outputs.get(0);
        assertThat(first.get("outputs").fieldNames()).toIterable().as("the order they were sent in, inline or not")
                .containsExactly("big", "n", "edge");
        assertThat(first.get("outputs").get("n").asInt()).isEqualTo(1);
        assertThat(first.get("outputs").get("edge").asText()).isEqualTo(edge);
        Map<String, JsonNode> stored = byName(first.get("files"));
        assertThat(stored).containsOnlyKeys("big");
        String bigUri = stored.get("big").get("uri").asText();
        assertThat(first.get("outputs").get("big").asText()).isEqualTo(bigUri)
                .startsWith("osprey:///main/company.team/values/executions/" + id + "/outputs/").endsWith("/big/value.json");
        byte[] bigJson = blob(bigUri);
        assertThat(bigJson).isEqualTo(JSON.writeValueAsBytes(big));
        assertThat(stored.get("big").get("size").asLong()).isEqualTo(bigJson.length);
        assertThat(stored.get("big").get("sha256").asText()).isEqualTo(sha256(bigJson));

        JsonNode form = outputs.get(1);
        assertThat(form.get("outputs").get("count").asInt()).isEqualTo(42);
        Map<String, JsonNode> formFiles = byName(form.get("files"));
        assertThat(formFiles).containsOnlyKeys("big", "report");
        String report = formFiles.get("report").get("uri").asText();
        assertThat(form.get("outputs").get("report").asText()).isEqualTo(report)
                .startsWith("osprey:///main/company.team/values/executions/" + id + "/outputs/").endsWith("/report/report.csv");
        assertThat(blob(report)).isEqualTo(CSV.getBytes(StandardCharsets.UTF_8));
        assertThat(JSON.readTree(blob(form.get("outputs").get("big").asText())).asText()).isEqualTo(big);

        JsonNode variables = payloads(id, "ExecutionVariablesSet").get(0);
        assertThat(variables.get("variables").get("retries").asInt()).isEqualTo(2);
        Map<String, JsonNode> variableFiles = byName(variables.get("files"));
        assertThat(variableFiles).containsOnlyKeys("large");
        String largeUri = variables.get("variables").get("large").asText();
        assertThat(variableFiles.get("large").get("uri").asText()).isEqualTo(largeUri)
                .startsWith("osprey:///main/company.team/values/executions/" + id + "/variables/").endsWith("/large/value.json");
        assertThat(JSON.readTree(blob(largeUri))).isEqualTo(large);
        assertThat(blobCount("company.team", "values", id)).isEqualTo(4);
    }

    @Test
    void badOutputsOrVariablesAre400WithNothingWrittenAndNoBlob() {
        String id = createExecution("badvalues");
        String base = "/api/v1/main/executions/" + id;
        String big = "\"" + "b".repeat(2000) + "\"";

        Reply badOutput = http.put(base + "/outputs", "{\"bad name!\":1,\"big\":" + big + "}");
        Reply badVariable = http.put(base + "/variables", "{\"-x\":1,\"big\":" + big + "}");
        Reply badFile = put(base + "/outputs", new Form().field("big", "b".repeat(2000))
                .file("bad name!", "x.csv", CSV.getBytes(StandardCharsets.UTF_8)));
        Reply badVersion = http.put(base + "/variables", "{\"big\":" + big + "}", "If-Match", "yesterday");

        assertProblem(badOutput, "outputs.bad name!", "pattern");
        assertProblem(badVariable, "variables.-x", "pattern");
        assertProblem(badFile, "outputs.bad name!", "pattern");
        assertProblem(badVersion, "If-Match", "version");
        assertThat(payloads(id, "ExecutionOutputsRecorded")).isEmpty();
        assertThat(payloads(id, "ExecutionVariablesSet")).isEmpty();
        assertThat(blobCount("company.team", "badvalues", id)).isZero();
    }

    @Test
    void refusedOutputsOrVariablesLeaveNoBlob() {
        String id = createExecution("refusedvalues");
        String base = "/api/v1/main/executions/" + id;
        String big = "{\"big\":\"" + "r".repeat(2000) + "\"}";

        Reply staleOutputs = http.put(base + "/outputs", big, "If-Match", "\"5\"");
        Reply staleVariables = http.put(base + "/variables", big, "If-Match", "\"5\"");
        Reply staleForm = put(base + "/outputs", new Form().file("report", "r.csv", new byte[]{1}), "If-Match", "\"5\"");
        Reply unknownOutputs = http.put("/api/v1/main/executions/ghost/outputs", big);
        Reply unknownForm = put("/api/v1/main/executions/ghost/outputs", new Form().file("report", "r.csv", new byte[]{1}));
        Reply otherTenant = http.put("/api/v1/acme/executions/" + id + "/variables", big);
        Reply accepted = http.put(base + "/variables", big, "If-Match", "\"0\"");

        assertThat(List.of(staleOutputs.status(), staleVariables.status(), staleForm.status())).containsOnly(412);
        assertThat(List.of(unknownOutputs.status(), unknownForm.status(), otherTenant.status())).containsOnly(404);
        assertThat(unknownOutputs.header("Content-Type")).startsWith("application/problem+json");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(blobCount("company.team", "refusedvalues", id)).isEqualTo(1);
        assertThat(payloads(id, "ExecutionOutputsRecorded")).isEmpty();
        assertThat(payloads(id, "ExecutionVariablesSet")).hasSize(1);
    }

    private static Form creation(String flowId) {
        return new Form().field("namespace", "company.team").field("flowId", flowId).field("flowRevision", "1");
    }

    @Test
    void fieldsAndInputsGoInTheFormNotTheQueryString() {
        long events = payloadsCount();

        Reply refused = post("/api/v1/main/executions?namespace=from.query&debug=1",
                creation("queryrefused").field("id", "query-1").file("data", "d.csv", CSV.getBytes(StandardCharsets.UTF_8)));

        assertProblem(refused, "debug", "unknown-parameter");
        assertThat(refused.json().get("errors")).hasSize(2);
        assertThat(payloadsCount()).isEqualTo(events);
        assertThat(blobCount("company.team", "queryrefused", "query-1")).isZero();
    }

    @Test
    void aBodyThatIsNotMultipartIs400NamingTheBody() {
        Reply reply = files.post("/api/v1/main/executions", "garbage, not multipart".getBytes(StandardCharsets.UTF_8),
                "multipart/form-data; boundary=XYZ");

        assertProblem(reply, "body", "multipart");
    }

    @Test
    void aFieldThatIsNotTextInItsCharsetIs400() {
        byte[] notUtf8 = {(byte) 0xFF, (byte) 0xFE, 0, 'b', 'i', 'n'};
        Reply reply = post("/api/v1/main/executions", creation("binaryfield").field("blob", notUtf8));

        assertProblem(reply, "inputs.blob", "encoding");
    }

    @Test
    void aNameIsRefusedByOneRuleWhateverTheSizeOfItsValue() {
        for (String value : List.of("zz", "z".repeat(2000))) {
            Reply reply = http.post("/api/v1/main/executions", "{\"namespace\":\"company.team\",\"flowId\":\"names\","
                    + "\"flowRevision\":1,\"inputs\":{\"_y\":\"" + value + "\"}}");
            assertProblem(reply, "inputs._y", "pattern");
        }
        assertProblem(post("/api/v1/main/executions", creation("names").file("_x", "x.csv",
                CSV.getBytes(StandardCharsets.UTF_8))), "inputs._x", "pattern");
    }

    @Test
    void aFormIsHeldToTheRulesOfAJsonBody() {
        long before = payloadsCount();
        assertProblem(post("/api/v1/main/executions", creation("rules").field("x", "{\"a\":1,\"a\":2}")), "inputs.x", "duplicate");
        assertProblem(post("/api/v1/main/executions", creation("rules").field("s", "\"A\\ud800B\"")), "inputs.s", "encoding");
        assertProblem(post("/api/v1/main/executions", creation("rules").field("labels", "[{\"key\":\"k\",\"value\":\"A\\udc00B\"}]")),
                "labels", "encoding");
        for (String revision : List.of("1.5", " 1", "+1", "\u0661\u0662", "\uff11")) {
            assertProblem(post("/api/v1/main/executions", new Form().field("namespace", "company.team").field("flowId", "rules")
                    .field("flowRevision", revision)), "flowRevision", "type");
        }
        assertProblem(post("/api/v1/main/executions", new Form().field("namespace", "company.team").field("flowId", "rules")
                .field("flowRevision", "2147483648")), "flowRevision", "range");
        assertProblem(post("/api/v1/main/executions", creation("rules").field("namespace", "company.other")), "namespace", "duplicate");
        assertThat(payloadsCount()).isEqualTo(before);
    }

    @Test
    void aPartWhoseContentDispositionReadsTwoWaysIsRefused() {
        long before = payloadsCount();
        for (String disposition : new String[]{"form-data; name=\"data\"; filename=\"abc.txt",
                "form-data; name=\"data\"; filename=abc.txt; filename=evil.txt"}) {
            Reply reply = post("/api/v1/main/executions", creation("twoways").part(disposition, "hello"));
            assertProblem(reply, "body", "multipart");
            assertThat(reply.json().get("detail").asText()).contains("Content-Disposition");
        }
        assertThat(payloadsCount()).isEqualTo(before);
    }

    @Test
    void aPartWithoutANameIsRefusedNotDropped() {
        long before = payloadsCount();
        for (String disposition : new String[]{"form-data; name=\"\"; filename=\"a.txt\"", "form-data; name=\"\"",
                "form-data; filename=\"a.txt\"", "form-data", "attachment; name=\"x\"; filename=\"a.txt\"", null}) {
            Reply reply = post("/api/v1/main/executions", creation("nameless").part(disposition, "hello"));
            assertProblem(reply, "inputs", "part-name");
        }
        assertThat(payloadsCount()).isEqualTo(before);
    }

    @Test
    void aFormWhoseLabelsAreNullHasNoLabelsAsAJsonBodyWould() {
        Reply created = expect(201, post("/api/v1/main/executions", creation("nolabels").field("labels", "null")));

        JsonNode labels = payloads(created.json().get("id").asText(), "ExecutionCreated").get(0).path("labels");
        assertThat(labels.isMissingNode() || labels.isNull() || labels.isEmpty()).as(labels.toString()).isTrue();
    }

    @Test
    void aFormFieldsDecimalIsKeptAsSent() {
        String pi = "3.14159265358979323846264338327950288";
        Reply created = expect(201, post("/api/v1/main/executions", creation("decimals").field("pi", pi)));

        assertThat(payloads(created.json().get("id").asText(), "ExecutionCreated").get(0).get("inputs").get("pi")
                .toString()).isEqualTo(pi);
    }

    @Test
    void aFormOfManyInputsIsTaken() {
        Form form = creation("manyinputs");
        for (int i = 0; i < 200; i++) {
            form.field("input" + i, Integer.toString(i));
        }
        Reply created = expect(201, post("/api/v1/main/executions", form));

        assertThat(payloads(created.json().get("id").asText(), "ExecutionCreated").get(0).get("inputs").size())
                .isEqualTo(200);
    }

    @Test
    void eachMultipartLimitIsA413NamingIt() {
        Form tooManyParts = creation("limits");
        for (int i = 0; i < 1000; i++) {
            tooManyParts.field("input" + i, "1");
        }
        assertTooLarge(post("/api/v1/main/executions", tooManyParts), "body", "max-parts");
        assertTooLarge(post("/api/v1/main/executions", creation("limits").field("big", "x".repeat(2 * 1024 * 1024 + 1))),
                "body", "max-fields-size");
        assertTooLarge(post("/api/v1/main/executions", creation("limits").file("data", "n".repeat(9000) + ".csv",
                CSV.getBytes(StandardCharsets.UTF_8))), "body", "max-part-header-size");
    }

    private static void assertTooLarge(Reply reply, String field, String rule) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(413);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("field").asText()).as(reply.body()).isEqualTo(field);
        assertThat(reply.json().get("rule").asText()).as(reply.body()).isEqualTo(rule);
    }

    private static void assertProblem(Reply reply, String field, String rule) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("field").asText()).as(reply.body()).isEqualTo(field);
        assertThat(reply.json().get("rule").asText()).as(reply.body()).isEqualTo(rule);
    }
}
