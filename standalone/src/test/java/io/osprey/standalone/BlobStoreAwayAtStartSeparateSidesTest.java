package io.osprey.standalone;

import io.osprey.blob.BlobStoreProperties;
import io.osprey.blob.s3.S3TestServer;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpJson.Reply;
import io.osprey.testsupport.TcpProxy;
import org.junit.jupiter.api.AfterEach;
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

/**
 * Both applications started while their S3 store is unreachable (its bucket not made yet): they start, report the
 * blob store DOWN and refuse uploads with a 503; once the store is back, the bucket is made and files work, without a
 * restart.
 */
class BlobStoreAwayAtStartSeparateSidesTest {

    private static final String FILES = "/api/v1/main/namespaces/company.late/files";
    private static final byte[] CONTENT = "id,name\n1,osprey\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private S3TestServer s3;
    private TcpProxy storeLink;
    private SeparateSides sides;

    @AfterEach
    void stop() throws Exception {
        SeparateSides.closeAll(sides, storeLink, s3);
    }

    private static HttpResponse<String> health(String baseUrl) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bothSidesStartWhileTheStoreIsAwayAndServeFilesOnceItIsBack() throws Exception {
        s3 = S3TestServer.start(Files.createDirectories(dir.resolve("s3")));
        BlobStoreProperties.S3 store = s3.settings("osprey-away-at-start", BlobStoreProperties.S3.MIN_PART_SIZE);
        storeLink = SeparateSides.linkTo(store);
        storeLink.cut();

        sides = new SeparateSides(dir.resolve("logs-index"),
                SeparateSides.s3Store(store, "http://127.0.0.1:" + storeLink.port()));
        HttpFiles commands = new HttpFiles(sides.commandUrl());
        HttpFiles queries = new HttpFiles(sides.queryUrl());
        for (String side : List.of(sides.commandUrl(), sides.queryUrl())) {
            HttpResponse<String> down = health(side);
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(down.body()).contains("\"blobStore\":{\"status\":\"DOWN\"");
        }
        Reply refused = commands.upload(FILES + "?path=/during.csv", CONTENT);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);

        storeLink.restore();

        Reply written = commands.upload(FILES + "?path=/after.csv", CONTENT);
        assertThat(written.status()).as(written.body()).isEqualTo(201);
        assertThat(queries.download(FILES + "?path=/after.csv&position=" + written.header("Osprey-Position")).body())
                .isEqualTo(CONTENT);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> health(sides.queryUrl()).statusCode() == 200 && health(sides.commandUrl()).statusCode() == 200);
    }
}
