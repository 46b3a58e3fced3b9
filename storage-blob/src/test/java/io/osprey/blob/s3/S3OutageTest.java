package io.osprey.blob.s3;

import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobPrefix;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.blob.BlobUri;
import io.osprey.blob.GeneratedStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The S3 store when its server goes away and comes back: a clear failure, then recovery, same adapter. */
class S3OutageTest {

    @TempDir
    static Path dir;
    private static S3ProxyServer server;
    private static S3BlobStore store;

    @BeforeAll
    static void startServer() throws IOException {
        server = S3ProxyServer.start(dir);
        store = new S3BlobStore(server.settings("osprey-outage", 5L * 1024 * 1024));
    }

    @AfterAll
    static void stopServer() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void failsFastWhileTheServerIsDownAndRecoversWhenItIsBack() throws IOException {
        BlobUri uri = BlobPaths.namespaceFile("main", "company.team", "before-outage.txt");
        byte[] bytes = "written before the outage".getBytes(StandardCharsets.UTF_8);
        store.put(uri, new ByteArrayInputStream(bytes));

        server.stop();

        BlobPrefix prefix = BlobPaths.namespaceFiles("main", "company.team", "");
        Map<String, Executable> calls = Map.of(
                "put", () -> store.put(BlobPaths.namespaceFile("main", "company.team", "during.bin"), GeneratedStream.of(12 * 1024 * 1024, 1)),
                "small put", () -> store.put(BlobPaths.namespaceFile("main", "company.team", "during.txt"), new ByteArrayInputStream(bytes)),
                "get", () -> store.get(uri),
                "ranged get", () -> store.get(uri, 5, 5),
                "stat", () -> store.stat(uri),
                "exists", () -> store.exists(uri),
                "list", () -> store.list(prefix, null, 10),
                "delete", () -> store.delete(uri),
                "deleteByPrefix", () -> store.deleteByPrefix(prefix));
        calls.forEach((name, call) -> assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThatThrownBy(call::execute).as(name).isInstanceOf(BlobStoreUnavailableException.class),
                name + " must fail fast"));

        server.start();

        try (InputStream in = store.get(uri).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        BlobUri after = BlobPaths.namespaceFile("main", "company.team", "after-outage.txt");
        store.put(after, new ByteArrayInputStream(bytes));
        assertThat(store.list(prefix, null, 10).entries()).hasSize(2);
    }
}
