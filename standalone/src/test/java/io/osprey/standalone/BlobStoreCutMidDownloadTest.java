package io.osprey.standalone;

import io.osprey.blob.BlobStoreProperties;
import io.osprey.blob.s3.S3TestServer;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpJson.Reply;
import io.osprey.testsupport.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A download whose connection to the S3 store breaks midway (the store sends fewer bytes than it announced): the
 * reply is cut at once, with one warning, and nothing is appended to it.
 */
@ExtendWith(OutputCaptureExtension.class)
class BlobStoreCutMidDownloadTest {

    private static final String FILES = "/api/v1/main/namespaces/company.cut/files";
    private static final int SIZE = 32 * 1024 * 1024;

    @TempDir
    Path dir;
    private S3TestServer s3;
    private TcpProxy storeLink;
    private SeparateSides sides;

    @AfterEach
    void stop() throws Exception {
        SeparateSides.closeAll(sides, storeLink, s3);
    }

    @Test
    void aDownloadWhoseStoreConnectionBreaksIsCutAtOnce(CapturedOutput output) throws Exception {
        s3 = S3TestServer.start(Files.createDirectories(dir.resolve("s3")));
        BlobStoreProperties.S3 store = s3.settings("osprey-cut", BlobStoreProperties.S3.MIN_PART_SIZE);
        storeLink = SeparateSides.linkTo(store);
        sides = new SeparateSides(dir.resolve("logs-index"),
                SeparateSides.s3Store(store, "http://127.0.0.1:" + storeLink.port()));
        byte[] content = new byte[SIZE];
        new Random(7).nextBytes(content);
        Reply written = new HttpFiles(sides.commandUrl()).upload(FILES + "?path=/big.bin", content);
        assertThat(written.status()).as(written.body()).isEqualTo(201);

        HttpResponse<InputStream> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                sides.queryUrl() + FILES + "?path=/big.bin&position=" + written.header("Osprey-Position"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        try (InputStream body = download.body()) {
            assertThat(body.readNBytes(64 * 1024)).hasSize(64 * 1024);
            storeLink.cut(); // the rest of the blob, beyond what the buffers on the way hold, never comes

            // well under Tomcat's 60 s connection timeout
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class));
        }
        assertThat(output).containsOnlyOnce("was cut after").doesNotContain("query failed after its reply began");
    }
}
