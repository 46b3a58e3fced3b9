package io.osprey.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osprey.blob.BlobEntry;
import io.osprey.blob.BlobPrefix;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobUri;
import io.osprey.command.CommandSide;
import io.osprey.events.namespace.NamespaceDirectoryCreated;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpJson.Reply;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The namespace-file command API of a real command-side application on a fresh PostgreSQL database and a
 * local blob store in a temporary directory, over real HTTP.
 */
@ExtendWith(OutputCaptureExtension.class)
class NamespaceFileCommandApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path blobRoot;
    private static CommandSide commandSide;
    private static String baseUrl;
    private static HttpFiles http;

    @BeforeAll
    static void start() {
        commandSide = CommandSide.start(
                "--osprey.blob.local.root=" + blobRoot,
                "--osprey.files.max-file-size=64KB",
                "--osprey.files.max-request-size=96KB",
                "--osprey.command.snapshot-every=5");
        baseUrl = commandSide.baseUrl();
        http = new HttpFiles(baseUrl);
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    private static String files(String namespace) {
        return "/api/v1/main/namespaces/" + namespace + "/files";
    }

    private static Reply upload(String namespace, String path, String content) {
        return http.upload(files(namespace) + "?path=" + HttpFiles.encode(path), content.getBytes(StandardCharsets.UTF_8));
    }

    private static Reply expect(int status, Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        return reply;
    }

    private static void assertProblem(Reply reply, int status, String field, String rule) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("field").asText()).isEqualTo(field);
        if (rule != null) {
            assertThat(reply.json().get("rule").asText()).isEqualTo(rule);
        }
    }

    @Test
    void eachUploadStoresItsBytesAndRecordsTheNextRevision() throws IOException {
        Reply first = expect(201, upload("ns.upload", "/scripts/etl.py", "print(1)"));
        Reply second = expect(201, upload("ns.upload", "scripts/etl.py", "print(2)\n"));

        JsonNode body = second.json();
        assertThat(body.get("path").asText()).isEqualTo("/scripts/etl.py");
        assertThat(first.json().get("revision").asInt()).isEqualTo(1);
        assertThat(body.get("revision").asInt()).isEqualTo(2);
        assertThat(body.get("size").asLong()).isEqualTo(9);
        assertThat(body.get("sha256").asText()).isEqualTo(sha256("print(2)\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(body.get("version").asLong()).isEqualTo(2);
        assertThat(second.header("ETag")).isEqualTo("\"2\"");
        assertThat(Long.parseLong(second.header("Osprey-Position"))).isEqualTo(body.get("position").asLong()).isPositive();
        assertThat(eventTypes("ns.upload")).containsExactly("NamespaceDirectoryCreated", "NamespaceFileWritten", "NamespaceFileWritten");
        List<String> contents = new ArrayList<>();
        for (JsonNode written : payloads("ns.upload", "NamespaceFileWritten")) {
            try (InputStream blob = blobs().get(BlobUri.parse(written.get("uri").asText())).orElseThrow()) {
                contents.add(new String(blob.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(contents).containsExactly("print(1)", "print(2)\n");
    }

    @Test
    void directoriesAreCreatedMovedAndDeletedWithEverythingInThem() {
        String ns = "ns.tree";
        assertThat(expect(201, http.post(files(ns) + "/directory?path=/a/b", new byte[0], "text/plain")).json()
                .get("version").asLong()).isEqualTo(1);
        expect(201, upload(ns, "/a/b/x.py", "x"));
        assertThat(expect(200, http.put(files(ns) + "?from=/a/b/x.py&to=/c/y.py")).json().get("path").asText())
                .isEqualTo("/c/y.py");
        assertThat(expect(201, upload(ns, "/c/y.py", "y")).json().get("revision").asInt()).as("history moves along").isEqualTo(2);
        expect(200, http.put(files(ns) + "?from=/a&to=/d"));
        expect(200, http.delete(files(ns) + "?path=/c/y.py"));
        expect(200, http.delete(files(ns) + "?path=/d"));

        assertThat(eventTypes(ns)).containsExactly("NamespaceDirectoryCreated", "NamespaceDirectoryCreated",
                "NamespaceFileWritten", "NamespaceDirectoryCreated", "NamespaceFileMoved", "NamespaceFileWritten",
                "NamespaceFileMoved", "NamespaceFileDeleted", "NamespaceFileDeleted");
        assertProblem(http.delete(files(ns) + "?path=/d/b"), 404, "path", null);
        expect(201, http.post(files(ns) + "/directory?path=/d/b", new byte[0], "text/plain"));
    }

    @Test
    void refusedChangesAre4xxProblemsThatWriteNothingAndLeaveNoBlob() {
        String ns = "ns.refused";
        expect(201, upload(ns, "/dir/file.txt", "content"));
        long events = eventCount();
        List<BlobEntry> blobs = allBlobs();

        assertProblem(upload(ns, "/dir", "x"), 409, "path", "is-directory");
        assertProblem(upload(ns, "/dir/file.txt/x", "x"), 409, "path", "parent-is-file");
        assertProblem(http.post(files(ns) + "/directory?path=/dir", new byte[0], "text/plain"), 409, "path", "exists");
        assertProblem(http.put(files(ns) + "?from=/nothing&to=/x"), 404, "from", null);
        assertProblem(http.put(files(ns) + "?from=/dir/file.txt&to=/dir"), 409, "to", "exists");
        assertProblem(http.put(files(ns) + "?from=/dir&to=/dir/sub"), 409, "to", "into-itself");
        assertProblem(http.put(files(ns) + "?from=/dir&to=/dir/file.txt/sub"), 409, "to", "into-itself");
        assertProblem(http.delete(files(ns) + "?path=/nothing"), 404, "path", null);
        assertProblem(http.delete("/api/v1/main/namespaces/ns.untouched/files?path=/a"), 404, "path", null);
        // what a write does not read is refused, not ignored: the directory would go with everything in it
        assertProblem(http.delete(files(ns) + "?path=/dir&recursive=false"), 400, "recursive", "unknown-parameter");
        assertProblem(http.post(files(ns) + "/directory?path=/new", "{\"parents\":false}".getBytes(StandardCharsets.UTF_8),
                "application/json"), 400, "body", "none");

        assertThat(eventCount()).isEqualTo(events);
        assertThat(allBlobs()).isEqualTo(blobs);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "POST   | /main/namespaces/ns.bad/files?path=a/../b     | path      | dot-segment",
            "POST   | /main/namespaces/ns.bad/files?path=a//b       | path      | empty-segment",
            "POST   | /main/namespaces/ns.bad/files?path=a%01b      | path      | no-control-characters",
            "POST   | /main/namespaces/ns.bad/files?path=a%5Cb      | path      | no-backslash",
            "POST   | /main/namespaces/ns.bad/files?path=C%3A%5Cx   | path      | absolute",
            "POST   | /main/namespaces/ns.bad/files?path=/          | path      | not-root",
            "POST   | /main/namespaces/ns.bad/files                 | path      | required",
            "POST   | /main/namespaces/ns.bad/files?path=a%E0%A4    | path      | encoding",
            "POST   | /main/namespaces/bad..ns/files?path=a         | namespace | pattern",
            "POST   | /bad%21/namespaces/ns.bad/files?path=a        | tenant    | pattern",
            "MKDIR  | /main/namespaces/ns.bad/files/directory?path=.. | path    | dot-segment",
            "MKDIR  | /main/namespaces/ns.bad/files/directory       | path      | required",
            "PUT    | /main/namespaces/ns.bad/files?from=a&to=b//c  | to        | empty-segment",
            "PUT    | /main/namespaces/ns.bad/files?to=b            | from      | required",
            "PUT    | /main/namespaces/ns.bad/files?from=/&to=/b    | from      | not-root",
            "DELETE | /main/namespaces/ns.bad/files?path=/          | path      | not-root",
            "DELETE | /main/namespaces/ns.bad/files?path=%2e%2e    | path      | dot-segment",
            "DELETE | /main/namespaces/ns.bad/files?path=%E0%A4    | path      | encoding",
            "MKDIR  | /main/namespaces/ns.bad/files/directory?path=%E0%A4 | path | encoding",
            "POST   | /main/namespaces/ns.bad/files?path=/a&path=/b | path      | duplicate",
            "MKDIR  | /main/namespaces/ns.bad/files/directory?path=/d1&path=/d2 | path | duplicate",
            "PUT    | /main/namespaces/ns.bad/files?from=a&to=/x&to=/y | to     | duplicate",
            "DELETE | /main/namespaces/ns.bad/files?path=a&path=b   | path      | duplicate",
    })
    void badInputIs400NamingTheFieldAndTheRuleAndWritesNothing(String method, String path, String field, String rule) {
        long events = eventCount();
        List<BlobEntry> blobs = allBlobs();
        String url = "/api/v1" + path;

        Reply reply = switch (method) {
            case "POST" -> http.upload(url, "content".getBytes(StandardCharsets.UTF_8));
            case "MKDIR" -> http.post(url, new byte[0], "text/plain");
            case "PUT" -> http.put(url);
            case "DELETE" -> http.delete(url);
            default -> throw new IllegalArgumentException(method);
        };

        assertProblem(reply, 400, field, rule);
        assertThat(eventCount()).isEqualTo(events);
        assertThat(allBlobs()).isEqualTo(blobs);
    }

    @ParameterizedTest
    @CsvSource({"POST, ?path=%ZZ", "POST, /directory?path=/r%", "DELETE, ?path=%Z1", "PUT, ?from=/a&to=%"})
    void aBadlyEscapedParameterIs400NamingIt(String method, String query) throws IOException {
        long events = eventCount();
        // java.net.http refuses to send such a URI; HttpURLConnection sends it as it is
        HttpURLConnection connection = (HttpURLConnection) new URL(baseUrl + files("ns.bad") + query).openConnection();
        connection.setRequestMethod(method);
        if (method.equals("POST")) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "multipart/form-data; boundary=x");
            connection.getOutputStream().write("--x--\r\n".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(connection.getResponseCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(connection.getErrorStream());
        assertThat(problem.get("field").asText()).isEqualTo(query.contains("to=") ? "to" : "path");
        assertThat(problem.get("rule").asText()).isEqualTo("encoding");
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void aConditionalWriteIs400RatherThanAGuaranteeNotKept() throws Exception {
        String ns = "ns.conditions";
        expect(201, upload(ns, "/a.txt", "one"));
        long before = eventCount();
        HttpClient client = HttpClient.newHttpClient();
        String boundary = "b";
        byte[] body = ("--b\r\nContent-Disposition: form-data; name=\"fileContent\"; filename=\"a.txt\"\r\n\r\ntwo\r\n--b--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        for (String[] condition : List.of(new String[]{"If-Match", "\"0\""}, new String[]{"If-None-Match", "*"},
                new String[]{"If-Unmodified-Since", "Sat, 29 Oct 1994 19:43:31 GMT"})) {
            HttpRequest upload = HttpRequest.newBuilder(URI.create(baseUrl + files(ns) + "?path=/a.txt"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary).header(condition[0], condition[1])
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> reply = client.send(upload, HttpResponse.BodyHandlers.ofString());

            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
            assertThat(reply.body()).contains("\"field\":\"" + condition[0] + "\"", "\"rule\":\"not-supported\"");
        }
        HttpRequest delete = HttpRequest.newBuilder(URI.create(baseUrl + files(ns) + "?path=/a.txt")).header("If-Match", "\"0\"")
                .DELETE().build();
        assertThat(client.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void anUploadOfTwoFilePartsIs400AndWritesNothing() {
        long events = eventCount();
        List<BlobEntry> blobs = allBlobs();
        String body = "--x\r\nContent-Disposition: form-data; name=\"fileContent\"; filename=\"a.txt\"\r\n\r\nAAA\r\n"
                + "--x\r\nContent-Disposition: form-data; name=\"fileContent\"; filename=\"b.txt\"\r\n\r\nBBB\r\n--x--\r\n";

        Reply reply = http.post(files("ns.parts") + "?path=/two.txt", body.getBytes(StandardCharsets.UTF_8),
                "multipart/form-data; boundary=x");

        assertProblem(reply, 400, "fileContent", "duplicate");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(allBlobs()).isEqualTo(blobs);
    }

    @Test
    void anUploadWithAnotherPartBesideItsFileIs400AndWritesNothing() {
        long events = eventCount();
        List<BlobEntry> blobs = allBlobs();
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("fileContent", "AAA".getBytes(StandardCharsets.UTF_8));
        parts.put("path", "/elsewhere.txt".getBytes(StandardCharsets.UTF_8));

        assertProblem(http.upload(files("ns.parts") + "?path=/one.txt", parts), 400, "path", "unknown-part");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(allBlobs()).isEqualTo(blobs);
    }

    @Test
    void aLongSegmentOrPathIs400() {
        assertProblem(upload("ns.bad", "/" + "x".repeat(256), "x"), 400, "path", "max-segment-length");
        assertProblem(upload("ns.bad", ("/" + "x".repeat(200)).repeat(6), "x"), 400, "path", "max-length");
    }

    @Test
    void anUploadNeedsItsFilePart() {
        long events = eventCount();

        assertProblem(http.post(files("ns.parts") + "?path=a.txt", "{}".getBytes(StandardCharsets.UTF_8), "application/json"),
                415, "Content-Type", "supported-media-types");
        assertProblem(http.upload(files("ns.parts") + "?path=a.txt", Map.of("file", new byte[1])), 400, "file", "unknown-part");
        assertProblem(http.post(files("ns.parts") + "?path=a.txt", "--x--\r\n".getBytes(StandardCharsets.UTF_8),
                "multipart/form-data; boundary=x"), 400, "fileContent", "required");
        assertProblem(http.post(files("ns.parts") + "?path=a.txt", "--x\r\nbroken".getBytes(StandardCharsets.UTF_8),
                "multipart/form-data; boundary=x"), 400, "fileContent", "multipart");
        assertProblem(http.post(files("ns.parts") + "?path=a.txt", "--x--\r\n".getBytes(StandardCharsets.UTF_8),
                "multipart/form-data"), 400, "fileContent", "multipart");

        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void anUploadCutShortIsA400ThatWritesNothingAndLogsNoError(CapturedOutput output) throws IOException {
        long events = eventCount();
        String boundary = "cut-short";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"fileContent\"; filename=\"a.bin\"\r\n\r\n"
                + "x".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
        URI target = URI.create(baseUrl + files("ns.cut") + "?path=a.bin");
        String reply;
        try (Socket socket = new Socket(target.getHost(), target.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + target.getRawPath() + "?" + target.getRawQuery() + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: 50000\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(head);
            out.flush();
            socket.shutdownOutput();
            reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(reply).startsWith("HTTP/1.1 400");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("Exception Processing ErrorPage");
    }

    @Test
    void anUploadOverTheLimitsIs413AndWritesNothing() {
        long events = eventCount();
        List<BlobEntry> blobs = allBlobs();
        Map<String, byte[]> twoParts = new LinkedHashMap<>();
        twoParts.put("fileContent", new byte[50 * 1024]);
        twoParts.put("other", new byte[50 * 1024]);

        assertProblem(http.upload(files("ns.limits") + "?path=big.bin", new byte[64 * 1024 + 1]), 413, "fileContent", "max-file-size");
        assertProblem(http.upload(files("ns.limits") + "?path=big.bin", twoParts), 413, "body", "max-request-size");
        expect(201, http.upload(files("ns.limits") + "?path=fits.bin", new byte[64 * 1024]));

        assertThat(eventCount()).isEqualTo(events + 1);
        assertThat(allBlobs()).hasSize(blobs.size() + 1);
    }

    @Test
    void theParametersAreCheckedBeforeTheBodyIsRead() {
        // over the size limits too: reading the body first would answer 413
        assertProblem(http.upload(files("ns.limits") + "?path=a//b", new byte[200 * 1024]), 400, "path", "empty-segment");
    }

    @Test
    void whileTheBlobStoreFailsUploadsAre503AndWriteNothingThenWorkAgain() throws IOException {
        Path inTheWay = Files.writeString(blobRoot.resolve("outage"), "a file where the tenant's folder must go");
        long events = eventCount();

        Reply refused = http.upload("/api/v1/outage/namespaces/ns/files?path=a.txt", "a".getBytes(StandardCharsets.UTF_8));

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(eventCount()).isEqualTo(events);

        Files.delete(inTheWay);
        expect(201, http.upload("/api/v1/outage/namespaces/ns/files?path=a.txt", "a".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFirstUploadThatLosesTheRaceToCreateTheNamespaceGoesAgainOnTheOtherNodesTree() {
        String aggregateId = "main/namespaces/ns.race/files";
        CompletableFuture<Reply> upload = new CompletableFuture<>();
        // Another node's first event, left uncommitted until our upload has loaded an empty namespace and waits
        // for the event store's unique key (aggregate, sequence 0) behind it.
        commandSide.app().getBean(TransactionTemplate.class).executeWithoutResult(status -> {
            commandSide.app().getBean(EventStore.class).publish(new GenericDomainEventMessage<>("NamespaceFilesAggregate", aggregateId, 0,
                    new NamespaceDirectoryCreated("main", "ns.race", "/from-the-other-node", Instant.now())));
            CompletableFuture.runAsync(() -> upload.complete(upload("ns.race", "/mine.txt", "mine")));
            await().atMost(Duration.ofSeconds(10)).until(() -> writersWaitingOnALock() > 0);
        });

        Reply reply = expect(201, upload.join());

        assertThat(reply.json().get("revision").asInt()).isEqualTo(1);
        assertThat(reply.json().get("version").asLong()).isEqualTo(1);
        assertThat(eventTypes("ns.race")).containsExactly("NamespaceDirectoryCreated", "NamespaceFileWritten");
    }

    @Test
    void aNamespaceIsLoadedFromItsSnapshotWithItsRules() throws SQLException {
        String ns = "ns.snapshot";
        for (int i = 1; i <= 6; i++) {
            expect(201, upload(ns, "/s/f.txt", "v" + i));
        }
        String aggregateId = "main/namespaces/" + ns + "/files";
        await().atMost(Duration.ofSeconds(10)).until(() -> count(
                "SELECT COUNT(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?", aggregateId) > 0);
        commandSide.app().getBean("namespaceFilesCache", Cache.class).remove(aggregateId);

        assertThat(expect(201, upload(ns, "/s/f.txt", "v7")).json().get("revision").asInt()).isEqualTo(7);
        assertProblem(http.post(files(ns) + "/directory?path=/s", new byte[0], "text/plain"), 409, "path", "exists");
    }

    private static BlobStore blobs() {
        return commandSide.app().getBean(BlobStore.class);
    }

    private static List<BlobEntry> allBlobs() {
        return blobs().list(BlobPrefix.of("main"), null, 10_000).entries();
    }

    private static long eventCount() {
        return count("SELECT COUNT(*) FROM domain_event_entry");
    }

    private static long writersWaitingOnALock() {
        return count("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    }

    private static long count(String sql, Object... parameters) {
        return commandSide.database().count(sql, parameters);
    }

    private static List<String> eventTypes(String namespace) {
        List<String> types = new ArrayList<>();
        events(namespace, (type, payload) -> types.add(type.substring(type.lastIndexOf('.') + 1)));
        return types;
    }

    private static List<JsonNode> payloads(String namespace, String simpleType) {
        List<JsonNode> payloads = new ArrayList<>();
        events(namespace, (type, payload) -> {
            if (type.endsWith("." + simpleType)) {
                payloads.add(payload);
            }
        });
        return payloads;
    }

    private interface EventVisitor {
        void visit(String type, JsonNode payload) throws IOException;
    }

    private static void events(String namespace, EventVisitor visitor) {
        String sql = "SELECT payload_type, payload FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number";
        try (Connection connection = commandSide.database().connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, "main/namespaces/" + namespace + "/files");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    visitor.visit(rows.getString(1), JSON.readTree(rows.getBytes(2)));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
