package io.osprey.blob.s3;

import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobStoreProperties;
import io.osprey.blob.BlobStoreProperties.DirectDownloads;
import io.osprey.blob.BlobStores;
import io.osprey.blob.BlobUri;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Downloads the store serves itself, through presigned URLs, against a real S3 server. */
class S3DirectDownloadTest {

    private static final long PART_SIZE = 5L * 1024 * 1024;
    private static final String TYPE = "text/csv";
    private static final String DISPOSITION = "attachment; filename*=UTF-8''r%C3%A9sultats.csv";

    @TempDir
    static Path dir;
    private static S3TestServer server;
    private static BlobStore direct;
    private static BlobStore shortLived;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startServer() throws IOException {
        server = S3TestServer.start(dir);
        direct = store(new DirectDownloads(true, null, null));
        shortLived = store(new DirectDownloads(true, null, Duration.ofSeconds(1)));
    }

    private static BlobStore store(DirectDownloads directDownloads) {
        return BlobStores.create(new BlobStoreProperties(BlobStoreProperties.Type.S3, null,
                server.settings("osprey-direct", PART_SIZE, directDownloads)));
    }

    @AfterAll
    static void stopServer() {
        for (AutoCloseable closeable : new AutoCloseable[] {direct, shortLived, server}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static BlobUri put(String path, byte[] bytes) throws IOException {
        BlobUri uri = BlobPaths.namespaceFile("main", "company.direct", path);
        direct.put(uri, new ByteArrayInputStream(bytes));
        return uri;
    }

    private HttpResponse<byte[]> get(URI url, String range) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theUrlServesTheBlobWithTheGivenTypeAndName() throws Exception {
        byte[] bytes = "id,name\n1,osprey\n".getBytes(StandardCharsets.UTF_8);
        BlobUri uri = put("reports/résultats.csv", bytes);

        URI url = direct.directDownload(uri, TYPE, DISPOSITION).orElseThrow();
        HttpResponse<byte[]> response = get(url, null);

        assertThat(url.toString()).startsWith(server.settings("osprey-direct", PART_SIZE).endpoint() + "/osprey-direct/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(TYPE);
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue(DISPOSITION);
    }

    @Test
    void theUrlServesRanges() throws Exception {
        byte[] bytes = new byte[3 * 1024 * 1024];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 11));
        }
        BlobUri uri = put("data/large.bin", bytes);

        HttpResponse<byte[]> response = get(direct.directDownload(uri, "application/octet-stream", "attachment").orElseThrow(),
                "bytes=1048576-1048675");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(bytes, 1_048_576, 1_048_676));
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 1048576-1048675/" + bytes.length);
    }

    @Test
    void aUrlOpensOnlyItsOwnBlob() throws Exception {
        put("public.txt", "public".getBytes(StandardCharsets.UTF_8));
        put("private.txt", "private".getBytes(StandardCharsets.UTF_8));
        URI url = direct.directDownload(BlobPaths.namespaceFile("main", "company.direct", "public.txt"), TYPE, DISPOSITION)
                .orElseThrow();

        URI other = URI.create(url.toString().replace("public.txt", "private.txt"));

        assertThat(get(url, null).statusCode()).isEqualTo(200);
        assertThat(get(other, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aUrlExpires() throws Exception {
        BlobUri uri = put("soon-gone.txt", "x".getBytes(StandardCharsets.UTF_8));
        URI url = shortLived.directDownload(uri, TYPE, DISPOSITION).orElseThrow();

        assertThat(get(url, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> get(url, null).statusCode(), status -> status == 403);
    }

    @Test
    void signsForTheEndpointClientsReach() {
        try (BlobStore behindAProxy = store(new DirectDownloads(true, "https://files.example.com", Duration.ofMinutes(1)))) {
            URI url = behindAProxy.directDownload(BlobPaths.namespaceFile("main", "company.direct", "a.txt"), TYPE, DISPOSITION)
                    .orElseThrow();

            assertThat(url.getScheme()).isEqualTo("https");
            assertThat(url.getHost()).isEqualTo("files.example.com");
            assertThat(url.getRawPath()).startsWith("/osprey-direct/").endsWith("/a.txt");
            assertThat(url.getRawQuery()).contains("X-Amz-Expires=60").contains("X-Amz-Signature=");
        }
    }

    @Test
    void aStoreWithoutDirectDownloadsStreamsEverythingItself() throws IOException {
        try (BlobStore proxied = store(null)) {
            assertThat(proxied.directDownload(put("b.txt", new byte[] {1}), TYPE, DISPOSITION)).isEmpty();
        }
    }
}
