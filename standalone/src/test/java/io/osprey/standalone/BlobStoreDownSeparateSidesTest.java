package io.osprey.standalone;

import io.osprey.blob.BlobStoreProperties;
import io.osprey.blob.s3.S3TestServer;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpFiles.Download;
import io.osprey.testsupport.HttpJson.Reply;
import io.osprey.testsupport.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Both applications on an S3 store reached through a link that can be cut or frozen: while the store is away or
 * stops answering, a download is a 503 problem and an upload a 503 that writes nothing; once it is back, both work
 * again without a restart.
 */
class BlobStoreDownSeparateSidesTest {

    private static final String FILES = "/api/v1/main/namespaces/company.outage/files";
    private static final byte[] CONTENT = "id,name\n1,osprey\n".getBytes(StandardCharsets.UTF_8);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration HEALTH_TIMEOUT = Duration.ofMillis(500);

    @TempDir
    static Path dir;
    private static S3TestServer s3;
    private static TcpProxy storeLink;
    private static SeparateSides sides;
    private static HttpFiles commands;
    private static HttpFiles queries;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3TestServer.start(Files.createDirectories(dir.resolve("s3")));
        BlobStoreProperties.S3 store = s3.settings("osprey-outage-api", BlobStoreProperties.S3.MIN_PART_SIZE);
        storeLink = SeparateSides.linkTo(store);
        sides = new SeparateSides(dir.resolve("logs-index"), SeparateSides.s3Store(store,
                "http://127.0.0.1:" + storeLink.port(), "--osprey.blob.s3.io-timeout=" + IO_TIMEOUT.toSeconds() + "s",
                "--osprey.health.timeout=" + HEALTH_TIMEOUT.toMillis() + "ms"));
        commands = new HttpFiles(sides.commandUrl());
        queries = new HttpFiles(sides.queryUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        SeparateSides.closeAll(sides, storeLink, s3);
    }

    /** The side's health, which must answer within {@code limit} (shorter than the store's io-timeout). */
    private static HttpResponse<String> healthWithin(String baseUrl, Duration limit) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                .timeout(limit).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Uploads a file while the store is there and reads it back; its download path, at a position that shows it. */
    private static String uploadedAndReadable(String path) {
        Reply written = commands.upload(FILES + "?path=" + path, CONTENT);
        assertThat(written.status()).as(written.body()).isEqualTo(201);
        String download = FILES + "?path=" + path + "&position=" + written.header("Osprey-Position");
        assertThat(queries.download(download).body()).isEqualTo(CONTENT);
        return download;
    }

    @Test
    void downloadsAndUploadsAre503WhileTheStoreIsAwayAndWorkAgainWhenItIsBack() {
        String download = uploadedAndReadable("/data.csv");

        storeLink.cut();
        try {
            for (Download refused : List.of(queries.download(download), queries.download(download, "Range", "bytes=0-1"))) {
                assertThat(refused.status()).as(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo(503);
                assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                assertThat(refused.header("Retry-After")).isEqualTo("1");
            }
            Reply upload = commands.upload(FILES + "?path=/during.csv", CONTENT);
            assertThat(upload.status()).as(upload.body()).isEqualTo(503);
        } finally {
            storeLink.restore();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> queries.download(download).status() == 200);
        assertThat(queries.download(download).body()).isEqualTo(CONTENT);
        Reply after = commands.upload(FILES + "?path=/after.csv", CONTENT);
        assertThat(after.status()).as(after.body()).isEqualTo(201);
        assertThat(queries.download(FILES + "?path=/during.csv&position=" + after.header("Osprey-Position")).status())
                .isEqualTo(404);
    }

    @Test
    void aStoreThatStopsAnsweringIsA503AfterTheIoTimeoutAndWorksAgainOnceItIsBack() throws Exception {
        String download = uploadedAndReadable("/frozen.csv");

        storeLink.freeze();
        try {
            for (String side : List.of(sides.commandUrl(), sides.queryUrl())) {
                HttpResponse<String> health = healthWithin(side, IO_TIMEOUT.minusMillis(500));
                assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
                assertThat(health.body()).contains("\"blobStore\":{\"status\":\"DOWN\"", "no answer within PT0.5S");
            }
            // a few waits of the io-timeout at most, where the store's default would hold each request for minutes
            assertTimeoutPreemptively(IO_TIMEOUT.multipliedBy(10), () -> {
                Download refused = queries.download(download);
                assertThat(refused.status()).as(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo(503);
                assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                Reply upload = commands.upload(FILES + "?path=/while-frozen.csv", CONTENT);
                assertThat(upload.status()).as(upload.body()).isEqualTo(503);
            });
        } finally {
            // the held connections never come back (as after a long partition); new ones reach the store again
            storeLink.cut();
            storeLink.restore();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> queries.download(download).status() == 200);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> healthWithin(sides.queryUrl(), IO_TIMEOUT).statusCode() == 200);
        Reply after = commands.upload(FILES + "?path=/after-frozen.csv", CONTENT);
        assertThat(after.status()).as(after.body()).isEqualTo(201);
        assertThat(queries.download(FILES + "?path=/while-frozen.csv&position=" + after.header("Osprey-Position")).status())
                .isEqualTo(404);
    }
}
