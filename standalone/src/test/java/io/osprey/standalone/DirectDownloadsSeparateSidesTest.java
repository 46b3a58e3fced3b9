package io.osprey.standalone;

import io.osprey.blob.BlobStoreProperties;
import io.osprey.blob.s3.S3TestServer;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpFiles.Download;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both applications on an S3 store (a real S3-protocol server) with {@code osprey.blob.s3.direct-downloads}: the
 * query side checks what the caller may read, then sends it to the store with a short-lived URL, and an HTTP client
 * that follows redirects gets the file's bytes, type, name and ranges as from a streamed download.
 */
class DirectDownloadsSeparateSidesTest {

    private static final String FILES = "/api/v1/main/namespaces/company.direct/files";

    @TempDir
    static Path dir;
    private static S3TestServer s3;
    private static String s3Endpoint;
    private static SeparateSides sides;
    private static HttpFiles commands;
    /** Shows the redirects. */
    private static HttpFiles queries;
    /** Follows them, as a browser or {@code curl -L} does. */
    private static HttpFiles following;
    private static HttpJson queryJson;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3TestServer.start(Files.createDirectories(dir.resolve("s3")));
        BlobStoreProperties.S3 store = s3.settings("osprey-direct-api", BlobStoreProperties.S3.MIN_PART_SIZE);
        s3Endpoint = store.endpoint();
        sides = new SeparateSides(dir.resolve("logs-index"), SeparateSides.s3Store(store, store.endpoint(),
                "--osprey.blob.s3.direct-downloads.enabled=true"));
        commands = new HttpFiles(sides.commandUrl());
        queries = new HttpFiles(sides.queryUrl());
        following = new HttpFiles(sides.queryUrl(), HttpClient.Redirect.NORMAL);
        queryJson = new HttpJson(sides.queryUrl());
    }

    @AfterAll
    static void stop() {
        if (sides != null) {
            sides.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static Reply ok(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(200, 201);
        return reply;
    }

    private static String at(Reply write) {
        return "position=" + write.header("Osprey-Position");
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aNamespaceFileDownloadIsARedirectToTheStore() {
        byte[] content = "id,name\n1,osprey\n".getBytes(StandardCharsets.UTF_8);
        Reply written = ok(commands.upload(FILES + "?path=" + HttpFiles.encode("/reports/daily.csv"), content));

        Download redirect = queries.download(FILES + "?path=/reports/daily.csv&" + at(written));
        Download file = following.download(FILES + "?path=/reports/daily.csv&" + at(written));

        assertThat(redirect.status()).isEqualTo(307);
        assertThat(redirect.header("Location")).startsWith(s3Endpoint + "/osprey-direct-api/");
        assertThat(redirect.header("Cache-Control")).isEqualTo("no-store");
        assertThat(redirect.header("Osprey-Position-Reached")).isEqualTo("true");
        assertThat(redirect.body()).isEmpty();
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(content);
        assertThat(file.header("Content-Type")).isEqualTo("text/csv");
        assertThat(file.header("Content-Disposition")).isEqualTo("attachment; filename=\"daily.csv\"");
    }

    @Test
    void rangesAndEarlierRevisionsComeFromTheStoreToo() {
        byte[] first = bytes(300_000, 1);
        byte[] second = bytes(200_000, 2);
        ok(commands.upload(FILES + "?path=" + HttpFiles.encode("/data/blob.bin"), first));
        Reply two = ok(commands.upload(FILES + "?path=" + HttpFiles.encode("/data/blob.bin"), second));

        Download redirect = queries.download(FILES + "?path=/data/blob.bin&revision=1&" + at(two), "Range", "bytes=1000-1999");
        Download part = following.download(FILES + "?path=/data/blob.bin&revision=1&" + at(two), "Range", "bytes=1000-1999");
        Download current = following.download(FILES + "?path=/data/blob.bin&" + at(two));

        assertThat(redirect.status()).isEqualTo(307);
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(first, 1000, 2000));
        assertThat(part.header("Content-Range")).isEqualTo("bytes 1000-1999/300000");
        assertThat(current.body()).isEqualTo(second);
    }

    @Test
    void aHeadIsAnsweredByOspreyItself() {
        Reply written = ok(commands.upload(FILES + "?path=" + HttpFiles.encode("/head.txt"), bytes(1234, 3)));

        Download head = queries.head(FILES + "?path=/head.txt&" + at(written));

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("1234");
        assertThat(head.header("Location")).isNull();
    }

    @Test
    void whatTheCallerMayNotReadIsNeverRedirected() {
        Reply written = ok(commands.upload(FILES + "?path=" + HttpFiles.encode("/secret/here.txt"), bytes(10, 4)));

        Download missing = queries.download(FILES + "?path=/secret/elsewhere.txt&" + at(written));
        Download otherNamespace = queries.download("/api/v1/main/namespaces/company.other/files?path=/secret/here.txt&" + at(written));
        Download badPath = queries.download(FILES + "?path=/secret/../here.txt");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(otherNamespace.status()).isEqualTo(404);
        assertThat(badPath.status()).isEqualTo(400);
        assertThat(List.of(missing, otherNamespace, badPath)).allSatisfy(reply -> assertThat(reply.header("Location")).isNull());
    }

    @Test
    void anExecutionFileDownloadIsARedirectOnlyForItsOwnFiles() {
        byte[] data = bytes(50_000, 5);
        Reply created = ok(commands.form("/api/v1/main/executions",
                Map.of("namespace", "company.direct", "flowId", "etl", "flowRevision", "1"), "data", "data.bin", data));
        String id = created.json().get("id").asText();
        Reply other = ok(commands.form("/api/v1/main/executions",
                Map.of("namespace", "company.direct", "flowId", "etl", "flowRevision", "1"), "data", "data.bin", bytes(5, 6)));
        Reply view = queryJson.get("/api/v1/main/executions/" + id + "?" + at(other));
        String uri = view.json().get("inputs").get("data").asText();
        String file = "/api/v1/main/executions/" + id + "/file?path=" + HttpFiles.encode(uri);

        Download redirect = queries.download(file);
        Download followed = following.download(file, "Range", "bytes=0-9");
        Download notItsOwn = queries.download("/api/v1/main/executions/" + other.json().get("id").asText()
                + "/file?path=" + HttpFiles.encode(uri));

        assertThat(redirect.status()).isEqualTo(307);
        assertThat(URI.create(redirect.header("Location")).getRawPath()).endsWith("/data.bin");
        assertThat(followed.status()).isEqualTo(206);
        assertThat(followed.body()).isEqualTo(Arrays.copyOf(data, 10));
        assertThat(notItsOwn.status()).isEqualTo(404);
        assertThat(notItsOwn.header("Location")).isNull();
    }
}
