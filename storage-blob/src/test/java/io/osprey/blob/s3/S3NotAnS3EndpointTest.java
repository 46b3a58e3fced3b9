package io.osprey.blob.s3;

import com.sun.net.httpserver.HttpServer;
import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStoreProperties;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.blob.BlobUri;
import io.osprey.blob.GeneratedStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An endpoint that answers HTTP but not as S3 does (a proxy's or a web server's page, 200 "hello"): every call fails
 * as the store being unavailable, never with minio's own exceptions, which the web layers would answer with a 500.
 */
class S3NotAnS3EndpointTest {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
    private static HttpServer server;
    private static S3BlobStore store;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : HELLO.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (!head) {
                    out.write(HELLO);
                }
            }
        });
        server.start();
        store = new S3BlobStore(new BlobStoreProperties.S3("http://127.0.0.1:" + server.getAddress().getPort(),
                "us-east-1", "osprey-hello", "id", "secret", true, 5L * 1024 * 1024, null, null, true,
                Duration.ofSeconds(5), Duration.ofSeconds(5), null));
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        server.stop(0);
    }

    @Test
    void everyCallFailsAsTheStoreBeingUnavailable() {
        BlobUri uri = BlobPaths.namespaceFile("main", "company.team", "a.txt");
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("small put", () -> store.put(uri, new ByteArrayInputStream(HELLO)));
        calls.put("streamed put", () -> store.put(uri, GeneratedStream.of(6 * 1024 * 1024, 1)));
        calls.put("stat", () -> store.stat(uri));
        calls.put("exists", () -> store.exists(uri));
        calls.put("empty get", () -> store.get(uri, 0, 0));
        calls.put("list", () -> store.list(BlobPaths.namespaceFiles("main", "company.team", ""), null, 10));
        calls.put("delete", () -> store.delete(uri));
        calls.put("deleteByPrefix", () -> store.deleteByPrefix(BlobPaths.namespaceFiles("main", "company.team", "")));
        calls.forEach((name, call) -> assertThatThrownBy(call::execute).as(name)
                .isInstanceOf(BlobStoreUnavailableException.class));
    }
}
