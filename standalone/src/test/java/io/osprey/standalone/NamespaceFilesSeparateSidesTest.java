package io.osprey.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.blob.BlobPaths;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Namespace files across two separate applications, as in production: command side and query side on one
 * PostgreSQL database and one blob store (a shared local directory). Bytes go in on one side and come out on
 * the other; the directory tree is the query side's read model.
 */
class NamespaceFilesSeparateSidesTest {

    private static final String FILES = "/api/v1/main/namespaces/company.team/files";

    @TempDir
    static Path blobRoot;
    private static SeparateSides sides;
    private static HttpFiles commands;
    private static HttpFiles downloads;
    private static HttpJson queries;

    @BeforeAll
    static void start() {
        sides = new SeparateSides(blobRoot);
        commands = new HttpFiles(sides.commandUrl());
        connectQuerySide();
    }

    private static void connectQuerySide() {
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

    private static Reply upload(String path, byte[] content) {
        return ok(commands.upload(FILES + "?path=" + HttpFiles.encode(path), content));
    }

    private static String at(Reply command) {
        return "position=" + command.header("Osprey-Position");
    }

    /** A query that must see the command's writes. */
    private static JsonNode read(String query, Reply after) {
        Reply view = queries.get(FILES + query + (query.contains("?") ? "&" : "?") + at(after));
        assertThat(view.status()).as(view.body()).isEqualTo(200);
        assertThat(view.header("Osprey-Position-Reached")).isEqualTo("true");
        return view.json();
    }

    private static byte[] download(String query, Reply after) {
        Download file = downloads.download(FILES + query + "&" + at(after));
        assertThat(file.status()).isEqualTo(200);
        return file.body();
    }

    @Test
    void aHeadDescribesTheFileAndAnswersAsAGetWouldWhenItsBytesAreGone() {
        Reply written = ok(commands.upload("/api/v1/main/namespaces/company.head/files?path=" + HttpFiles.encode("/data/big.bin"),
                new byte[300_000]));
        String file = "/api/v1/main/namespaces/company.head/files?path=/data/big.bin&" + at(written);

        Download head = downloads.head(file);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("300000");
        assertThat(head.header("Content-Disposition")).isEqualTo("attachment; filename=\"big.bin\"");
        assertThat(head.body()).isEmpty();

        // the bytes deleted from the store behind Osprey's back: a 404, as for a GET (a HEAD said 200)
        try (LocalBlobStore store = new LocalBlobStore(blobRoot)) {
            assertThat(store.deleteByPrefix(BlobPaths.namespaceFiles("main", "company.head", ""))).isEqualTo(1);
        }
        assertThat(downloads.head(file).status()).isEqualTo(404);
        assertThat(downloads.download(file).status()).isEqualTo(404);
    }

    @Test
    void uploadedBytesComeBackFromTheQuerySideRevisionByRevision() {
        byte[] first = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(first);
        byte[] second = "print('v2')\n".getBytes(StandardCharsets.UTF_8);
        Reply one = upload("/scripts/etl.py", first);
        Reply two = upload("scripts/etl.py", second);

        assertThat(sha256(download("?path=/scripts/etl.py&revision=1", two))).isEqualTo(sha256(first))
                .isEqualTo(one.json().get("sha256").asText());
        assertThat(download("?path=/scripts/etl.py", two)).isEqualTo(second);
        JsonNode revisions = read("/revisions?path=/scripts/etl.py", two);
        assertThat(revisions).extracting(r -> r.get("revision").asInt()).containsExactly(1, 2);
        assertThat(revisions.get(0).get("size").asLong()).isEqualTo(first.length);
        assertThat(revisions.get(1).get("sha256").asText()).isEqualTo(sha256(second));
        JsonNode stats = read("/stats?path=/scripts/etl.py", two);
        assertThat(stats.get("type").asText()).isEqualTo("File");
        assertThat(stats.get("size").asLong()).isEqualTo(second.length);
        assertThat(stats.get("revision").asInt()).isEqualTo(2);
    }

    @Test
    void theDirectoryTreeFollowsDirectoriesMovesAndDeletes() {
        String base = "/tree";
        ok(commands.post(FILES + "/directory?path=" + base + "/empty", new byte[0], "text/plain"));
        upload(base + "/src/a.txt", "a".getBytes(StandardCharsets.UTF_8));
        Reply last = upload(base + "/src/b.txt", "b".getBytes(StandardCharsets.UTF_8));
        assertThat(names(read("/directory?path=" + base, last))).containsExactly("empty:Directory", "src:Directory");

        ok(commands.put(FILES + "?from=" + base + "/src/a.txt&to=" + base + "/renamed.txt"));
        last = ok(commands.put(FILES + "?from=" + base + "/src&to=" + base + "/moved/src"));
        assertThat(names(read("/directory?path=" + base, last)))
                .containsExactly("empty:Directory", "moved:Directory", "renamed.txt:File");
        assertThat(names(read("/directory?path=" + base + "/moved/src", last))).containsExactly("b.txt:File");
        assertThat(download("?path=" + base + "/renamed.txt", last)).isEqualTo("a".getBytes(StandardCharsets.UTF_8));

        ok(commands.delete(FILES + "?path=" + base + "/renamed.txt"));
        last = ok(commands.delete(FILES + "?path=" + base + "/moved"));
        assertThat(names(read("/directory?path=" + base, last))).containsExactly("empty:Directory");
        assertThat(queries.get(FILES + "/stats?path=" + base + "/moved/src/b.txt").status()).isEqualTo(404);
    }

    @Test
    void aQuerySideRestartCatchesUpOnFilesWrittenWhileItWasDown() {
        Reply before = upload("/restart/kept.txt", "kept".getBytes(StandardCharsets.UTF_8));
        read("/stats?path=/restart/kept.txt", before);

        sides.stopQuerySide();
        for (int i = 1; i <= 5; i++) {
            upload("/restart/down.txt", ("revision " + i).getBytes(StandardCharsets.UTF_8));
        }
        Reply last = ok(commands.post(FILES + "/directory?path=/restart/made-while-down", new byte[0], "text/plain"));
        sides.startQuerySide();
        connectQuerySide();

        assertThat(names(read("/directory?path=/restart", last)))
                .containsExactly("down.txt:File", "kept.txt:File", "made-while-down:Directory");
        assertThat(read("/revisions?path=/restart/down.txt", last)).hasSize(5);
        assertThat(download("?path=/restart/down.txt", last)).isEqualTo("revision 5".getBytes(StandardCharsets.UTF_8));
        assertThat(download("?path=/restart/down.txt&revision=2", last)).isEqualTo("revision 2".getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> names(JsonNode listing) {
        List<String> names = new ArrayList<>();
        listing.forEach(entry -> names.add(entry.get("fileName").asText() + ":" + entry.get("type").asText()));
        return names;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
