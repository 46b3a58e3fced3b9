package io.osprey.query.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.blob.BlobInfo;
import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStore;
import io.osprey.events.namespace.NamespaceDirectoryCreated;
import io.osprey.events.namespace.NamespaceFileDeleted;
import io.osprey.events.namespace.NamespaceFileMoved;
import io.osprey.events.namespace.NamespaceFileWritten;
import io.osprey.events.store.EventStorePositions;
import io.osprey.query.QuerySide;
import io.osprey.query.projection.ProjectionPositions;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpFiles.Download;
import io.osprey.testsupport.HttpJson.Reply;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.Environment;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The namespace files projection and its query API against PostgreSQL and a local blob store, with the
 * event store written directly the way command-side writes it (one stream per namespace).
 */
class NamespaceFileProjectionTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    @TempDir
    static Path blobRoot;
    private static QuerySide querySide;
    private static HttpFiles files;
    private static final Map<String, Long> nextSequence = new HashMap<>();

    @BeforeAll
    static void start() {
        querySide = QuerySide.start("--osprey.blob.local.root=" + blobRoot);
        files = new HttpFiles("http://127.0.0.1:" + querySide.bean(Environment.class).getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    private static String api(String namespace) {
        return "/api/v1/main/namespaces/" + namespace + "/files";
    }

    /** Appends events to the namespace's stream in one transaction and returns the position of the last one. */
    private static long append(String namespace, Object... payloads) {
        String aggregateId = "main/namespaces/" + namespace + "/files";
        List<DomainEventMessage<?>> messages = new ArrayList<>();
        for (Object payload : payloads) {
            long sequence = nextSequence.merge(aggregateId, 1L, Long::sum) - 1;
            messages.add(new GenericDomainEventMessage<>("NamespaceFilesAggregate", aggregateId, sequence, payload));
        }
        querySide.bean(TransactionTemplate.class).executeWithoutResult(status -> querySide.bean(EventStore.class).publish(messages));
        return querySide.bean(EventStorePositions.class).positionOf(aggregateId, nextSequence.get(aggregateId) - 1);
    }

    private static NamespaceDirectoryCreated directory(String namespace, String path) {
        return new NamespaceDirectoryCreated("main", namespace, path, T0);
    }

    /** Stores the content as a blob, as command-side does before writing the event. */
    private static NamespaceFileWritten written(String namespace, String path, int revision, String content, Instant at) {
        try {
            BlobInfo blob = querySide.bean(BlobStore.class).put(BlobPaths.namespaceFile("main", namespace, UUID.randomUUID().toString()),
                    new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
            return new NamespaceFileWritten("main", namespace, path, revision, blob.size(), blob.sha256(), blob.uri().toString(), at);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** /scripts/etl.py at revision 2, /scripts/lib/util.py and /readme.md. */
    private static long tree(String namespace) {
        return append(namespace, directory(namespace, "/scripts"),
                written(namespace, "/scripts/etl.py", 1, "print(1)", T0),
                written(namespace, "/scripts/etl.py", 2, "print(22)", T1),
                directory(namespace, "/scripts/lib"),
                written(namespace, "/scripts/lib/util.py", 1, "util", T0),
                written(namespace, "/readme.md", 1, "# read me", T0),
                written(namespace, "/données é.txt", 1, "é", T0));
    }

    private static JsonNode json(String path, long position) {
        return querySide.getAt(path, position).json();
    }

    private static List<String> names(JsonNode listing) {
        List<String> names = new ArrayList<>();
        listing.forEach(entry -> names.add(entry.get("fileName").asText() + ":" + entry.get("type").asText()));
        return names;
    }

    private static String text(Download download) {
        assertThat(download.status()).isEqualTo(200);
        return new String(download.body(), StandardCharsets.UTF_8);
    }

    private static TrackingEventProcessor processor() {
        return querySide.bean(EventProcessingConfiguration.class)
                .eventProcessor(NamespaceFileProjection.PROCESSOR, TrackingEventProcessor.class).orElseThrow();
    }

    private static void awaitProjected() {
        long head = querySide.head();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> querySide.bean(ProjectionPositions.class).progress(NamespaceFileProjection.PROCESSOR).covers(head));
    }

    @Test
    void theTreeFollowsWritesMovesAndDeletes() {
        String ns = "tree";
        long position = tree(ns);

        assertThat(names(json(api(ns) + "/directory", position)))
                .containsExactly("données é.txt:File", "readme.md:File", "scripts:Directory");
        JsonNode scripts = json(api(ns) + "/directory?path=scripts/", position);
        assertThat(names(scripts)).containsExactly("etl.py:File", "lib:Directory");
        assertThat(scripts.get(0).get("size").asLong()).isEqualTo(9);
        assertThat(scripts.get(0).get("revision").asInt()).isEqualTo(2);
        assertThat(scripts.get(1).get("size").asLong()).isZero();
        JsonNode stats = json(api(ns) + "/stats?path=/scripts/etl.py", position);
        assertThat(stats.get("type").asText()).isEqualTo("File");
        assertThat(stats.get("creationTime").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(stats.get("lastModifiedTime").asLong()).isEqualTo(T1.toEpochMilli());
        JsonNode revisions = json(api(ns) + "/revisions?path=/scripts/etl.py", position);
        assertThat(revisions).extracting(r -> r.get("revision").asInt()).containsExactly(1, 2);
        assertThat(revisions.get(1).get("date").asText()).isEqualTo(T1.toString());
        assertThat(revisions.get(0).get("sha256").asText()).hasSize(64);
        Download current = files.download(api(ns) + "?path=/scripts/etl.py");
        assertThat(text(current)).isEqualTo("print(22)");
        assertThat(current.header("Content-Length")).isEqualTo("9");
        assertThat(current.header("Content-Disposition")).isEqualTo("attachment; filename=\"etl.py\"");
        assertThat(text(files.download(api(ns) + "?path=/scripts/etl.py&revision=1"))).isEqualTo("print(1)");
        assertThat(files.download(api(ns) + "?path=/readme.md").header("Content-Type")).isEqualTo("application/octet-stream");
        Download named = files.download(api(ns) + "?path=" + HttpFiles.encode("/données é.txt"));
        assertThat(named.header("Content-Type")).startsWith("text/plain");
        assertThat(named.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(named.header("Content-Disposition")).endsWith("filename*=UTF-8''donn%C3%A9es%20%C3%A9.txt");

        position = append(ns, new NamespaceFileMoved("main", ns, "/scripts", "/code", true, T1));

        assertThat(names(json(api(ns) + "/directory?path=/", position)))
                .containsExactly("code:Directory", "données é.txt:File", "readme.md:File");
        assertThat(names(json(api(ns) + "/directory?path=/code/lib", position))).containsExactly("util.py:File");
        assertThat(json(api(ns) + "/revisions?path=/code/etl.py", position)).hasSize(2);
        assertThat(text(files.download(api(ns) + "?path=/code/etl.py&revision=1"))).isEqualTo("print(1)");
        assertThat(files.download(api(ns) + "?path=/scripts/etl.py").status()).isEqualTo(404);

        position = append(ns, new NamespaceFileDeleted("main", ns, "/code", true, T1));

        assertThat(names(json(api(ns) + "/directory", position))).containsExactly("données é.txt:File", "readme.md:File");
        assertThat(files.download(api(ns) + "/revisions?path=/code/etl.py").status()).isEqualTo(404);
        JsonNode root = json(api(ns) + "/stats?path=/", position);
        assertThat(root.get("type").asText()).isEqualTo("Directory");
        assertThat(root.get("creationTime").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(root.get("lastModifiedTime").asLong()).isEqualTo(T1.toEpochMilli());
        assertThat(rowCount("namespace_file_revisions", ns)).isEqualTo(2);
    }

    @Test
    void anUntouchedNamespaceHasAnEmptyRoot() {
        assertThat(querySide.http().get(api("empty") + "/directory").json()).isEmpty();
        assertThat(querySide.http().get(api("empty") + "/stats?path=/").json().get("type").asText()).isEqualTo("Directory");
    }

    @Test
    void aRangeRequestGetsPartOfTheFile() {
        long position = append("range", written("range", "/data.csv", 1, "0123456789", T0));
        querySide.getAt(api("range") + "/stats?path=/data.csv", position);

        Download part = files.download(api("range") + "?path=/data.csv", "Range", "bytes=2-5");

        assertThat(part.status()).isEqualTo(206);
        assertThat(new String(part.body(), StandardCharsets.UTF_8)).isEqualTo("2345");
        assertThat(part.header("Content-Range")).isEqualTo("bytes 2-5/10");
        // the unit is case-insensitive
        Download upper = files.download(api("range") + "?path=/data.csv", "Range", "BYTES=2-5");
        assertThat(upper.status()).isEqualTo(206);
        assertThat(new String(upper.body(), StandardCharsets.UTF_8)).isEqualTo("2345");
    }

    @Test
    void aRangeIfTheFileIsStillTheOneTaggedIsServedElseTheWholeFile() {
        long position = append("ifrange", written("ifrange", "/data.csv", 1, "0123456789", T0));
        querySide.getAt(api("ifrange") + "/stats?path=/data.csv", position);
        String tag = files.download(api("ifrange") + "?path=/data.csv").header("ETag");
        assertThat(tag).matches("\"[0-9a-f]{64}\"");

        Download same = files.download(api("ifrange") + "?path=/data.csv", "Range", "bytes=2-5", "If-Range", tag);
        assertThat(same.status()).isEqualTo(206);
        assertThat(new String(same.body(), StandardCharsets.UTF_8)).isEqualTo("2345");
        for (String other : List.of("\"xyz\"", "W/" + tag, "Mon, 07 Dec 2026 08:00:00 GMT", "garbage")) {
            Download whole = files.download(api("ifrange") + "?path=/data.csv", "Range", "bytes=2-5", "If-Range", other);
            assertThat(whole.status()).as(other).isEqualTo(200);
            assertThat(new String(whole.body(), StandardCharsets.UTF_8)).as(other).isEqualTo("0123456789");
            assertThat(whole.header("Content-Range")).as(other).isNull();
        }
    }

    @Test
    void aDownloadIsConditionalOnItsTag() {
        long position = append("conditional", written("conditional", "/data.csv", 1, "0123456789", T0));
        querySide.getAt(api("conditional") + "/stats?path=/data.csv", position);
        String url = api("conditional") + "?path=/data.csv";
        String tag = files.download(url).header("ETag");

        Download unchanged = files.download(url, "If-None-Match", "\"other\", W/" + tag);
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.header("ETag")).isEqualTo(tag);
        assertThat(files.download(url, "If-None-Match", "*").status()).isEqualTo(304);
        assertThat(files.download(url, "If-None-Match", "\"other\"").status()).isEqualTo(200);

        assertThat(files.download(url, "If-Match", tag).status()).isEqualTo(200);
        assertThat(files.download(url, "If-Match", "*").status()).isEqualTo(200);
        for (String other : List.of("\"other\"", "W/" + tag, "garbage")) {
            Download changed = files.download(url, "If-Match", other);
            assertThat(changed.status()).as(other).isEqualTo(412);
            assertThat(new String(changed.body(), StandardCharsets.UTF_8)).as(other).contains("\"field\":\"If-Match\"")
                    .doesNotContain("0123456789");
        }
    }

    @Test
    void aRangeThisDoesNotServeGetsTheWholeFileAndOnePastTheEndA416Problem() {
        long position = append("ranges", written("ranges", "/data.csv", 1, "0123456789", T0));
        querySide.getAt(api("ranges") + "/stats?path=/data.csv", position);

        for (String range : List.of("bytes=0-1,4-5", "items=0-1", "bytes=abc", "bytes=5-2")) {
            Download whole = files.download(api("ranges") + "?path=/data.csv", "Range", range);
            assertThat(whole.status()).as(range).isEqualTo(200);
            assertThat(new String(whole.body(), StandardCharsets.UTF_8)).as(range).isEqualTo("0123456789");
            assertThat(whole.header("Content-Length")).as(range).isEqualTo("10");
            assertThat(whole.header("Content-Range")).as(range).isNull();
        }
        Download hugeEnd = files.download(api("ranges") + "?path=/data.csv", "Range", "bytes=7-99999999999999999999");
        assertThat(hugeEnd.status()).isEqualTo(206);
        assertThat(new String(hugeEnd.body(), StandardCharsets.UTF_8)).isEqualTo("789");
        assertThat(hugeEnd.header("Content-Range")).isEqualTo("bytes 7-9/10");
        Download hugeSuffix = files.download(api("ranges") + "?path=/data.csv", "Range", "bytes=-99999999999999999999");
        assertThat(hugeSuffix.status()).isEqualTo(206);
        assertThat(hugeSuffix.header("Content-Range")).isEqualTo("bytes 0-9/10");
        for (String range : List.of("bytes=10-", "bytes=100-200", "bytes=-0", "bytes=99999999999999999999-")) {
            Download refused = files.download(api("ranges") + "?path=/data.csv", "Range", range);
            assertThat(refused.status()).as(range).isEqualTo(416);
            assertThat(refused.header("Content-Range")).as(range).isEqualTo("bytes */10");
            assertThat(refused.header("Content-Type")).as(range).startsWith("application/problem+json");
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).as(range).contains("\"field\":\"Range\"")
                    .doesNotContain("0123456789");
        }
    }

    @Test
    void theLastBytesOfAnEmptyFileAreTheWholeEmptyFileAndAnyOtherRangeA416() {
        long position = append("empty-file", written("empty-file", "/empty.txt", 1, "", T0));
        querySide.getAt(api("empty-file") + "/stats?path=/empty.txt", position);

        Download tail = files.download(api("empty-file") + "?path=/empty.txt", "Range", "bytes=-5");
        assertThat(tail.status()).isEqualTo(200);
        assertThat(tail.body()).isEmpty();
        assertThat(tail.header("Content-Length")).isEqualTo("0");
        for (String range : List.of("bytes=0-", "bytes=-0")) {
            Download refused = files.download(api("empty-file") + "?path=/empty.txt", "Range", range);
            assertThat(refused.status()).as(range).isEqualTo(416);
            assertThat(refused.header("Content-Range")).as(range).isEqualTo("bytes */0");
        }
    }

    @Test
    void badParametersAre400AndWhatIsNotThereIs404() {
        long position = tree("missing");
        querySide.getAt(api("missing") + "/stats?path=/readme.md", position);

        assertProblem(querySide.http().get(api("missing") + "?path=a/../b"), 400, "path", "dot-segment");
        assertProblem(querySide.http().get(api("missing") + "/stats"), 400, "path", "required");
        assertProblem(querySide.http().get(api("missing") + "?path=/readme.md&revision=0"), 400, "revision", "min");
        assertProblem(querySide.http().get(api("missing") + "?path=/readme.md&revision=one"), 400, "revision", "type");
        assertProblem(querySide.http().get(api("missing") + "/directory?path=/x&position=-1"), 400, "position", "min");
        assertProblem(querySide.http().get("/api/v1/main/namespaces/bad..ns/files/directory"), 400, "namespace", "pattern");
        assertProblem(querySide.http().get(api("missing") + "?path=/nothing"), 404, "path", null);
        assertProblem(querySide.http().get(api("missing") + "?path=/scripts"), 404, "path", null);
        assertProblem(querySide.http().get(api("missing") + "?path=/readme.md&revision=2"), 404, "revision", null);
        assertProblem(querySide.http().get(api("missing") + "/directory?path=/readme.md"), 404, "path", null);
        assertProblem(querySide.http().get(api("missing") + "/revisions?path=/scripts"), 404, "path", null);
        assertProblem(querySide.http().get(api("missing") + "/stats?path=/nothing"), 404, "path", null);
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        String ns = "twice";
        long first = append(ns, directory(ns, "/a"));
        tree(ns);
        append(ns, new NamespaceFileMoved("main", ns, "/scripts/lib", "/a/lib", true, T1),
                new NamespaceFileDeleted("main", ns, "/readme.md", false, T1));
        awaitProjected();
        List<String> before = views(ns);

        TrackingEventProcessor processor = processor();
        processor.shutDown();
        querySide.bean(TransactionTemplate.class).executeWithoutResult(status -> querySide.bean(TokenStore.class)
                .storeToken(GapAwareTrackingToken.newInstance(first - 1, Set.of()), NamespaceFileProjection.PROCESSOR, 0));
        processor.start();
        awaitProjected();

        assertThat(views(ns)).isEqualTo(before);
        assertThat(before.get(1)).contains("\"fileName\":\"lib\"");
    }

    @Test
    void aTokenResetRebuildsTheSameReadModel() {
        String ns = "rebuilt";
        tree(ns);
        append(ns, new NamespaceFileMoved("main", ns, "/scripts/etl.py", "/etl.py", false, T1));
        awaitProjected();
        List<String> before = views(ns);

        TrackingEventProcessor processor = processor();
        processor.shutDown();
        processor.resetTokens();
        assertThat(rowCount("namespace_files", ns)).as("the reset empties the read model").isZero();
        processor.start();
        awaitProjected();

        assertThat(views(ns)).isEqualTo(before);
        assertThat(before.get(3)).startsWith("200 [{\"revision\":1");
    }

    /** What the API shows of a namespace: its listings, revisions and root, status and body. */
    private static List<String> views(String namespace) {
        return Stream.of("/directory", "/directory?path=/a", "/directory?path=/scripts", "/revisions?path=/etl.py",
                        "/revisions?path=/scripts/etl.py", "/stats?path=/")
                .map(query -> querySide.http().get(api(namespace) + query))
                .map(reply -> reply.status() + " " + reply.body())
                .toList();
    }

    private static void assertProblem(Reply reply, int status, String field, String rule) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("field").asText()).isEqualTo(field);
        if (rule != null) {
            assertThat(reply.json().get("rule").asText()).isEqualTo(rule);
        }
    }

    private static long rowCount(String table, String namespace) {
        Long count = querySide.jdbc().queryForObject("SELECT COUNT(*) FROM " + table + " WHERE namespace = ?", Long.class, namespace);
        return count == null ? 0 : count;
    }
}
