package io.osprey.blob.s3;

import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobPrefix;
import io.osprey.blob.BlobStoreProperties;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The S3 store when its server goes away or stops answering (suspended, as a hung process or a partition that drops
 * packets) and comes back: a clear failure, then recovery, same adapter.
 */
class S3OutageTest {

    @TempDir
    static Path dir;
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(2);
    private static final int MIB = 1024 * 1024;

    private static S3ProxyServer server;
    private static S3BlobStore store;
    /** No upload buffers, one put streaming at a time, a short io-timeout: every put streams, the others wait. */
    private static S3BlobStore oneStreamAtATime;

    @BeforeAll
    static void startServer() throws IOException {
        server = S3ProxyServer.start(dir);
        store = new S3BlobStore(server.settings("osprey-outage", 5L * MIB));
        BlobStoreProperties.S3 s = server.settings("osprey-hung", 5L * MIB);
        oneStreamAtATime = new S3BlobStore(new BlobStoreProperties.S3(s.endpoint(), s.region(), s.bucket(), s.accessKey(),
                s.secretKey(), s.pathStyle(), s.partSize(), 0, 1, s.createBucket(), s.connectTimeout(), IO_TIMEOUT, null));
    }

    @AfterAll
    static void stopServer() {
        for (S3BlobStore each : new S3BlobStore[]{store, oneStreamAtATime}) {
            if (each != null) {
                each.close();
            }
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

    @Test
    void putsWaitingToStreamBehindOneTheHungStoreHoldsFailWithIt() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(3);
        List<Future<?>> puts = new ArrayList<>();
        server.pause();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < 3; i++) {
                BlobUri uri = BlobPaths.namespaceFile("main", "company.team", "queued-" + i + ".bin");
                long seed = i;
                puts.add(threads.submit(() -> oneStreamAtATime.put(uri, GeneratedStream.of(6 * MIB, seed))));
            }
            await().atMost(IO_TIMEOUT).until(() -> oneStreamAtATime.waitingToStream() == 2);

            for (Future<?> put : puts) {
                assertThatThrownBy(() -> put.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(BlobStoreUnavailableException.class);
            }
            // one io-timeout for the put the store holds; the two behind it do not each wait another
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(IO_TIMEOUT.multipliedBy(2));
        } finally {
            server.resume();
            threads.shutdownNow();
        }

        oneStreamAtATime.put(BlobPaths.namespaceFile("main", "company.team", "after.bin"), GeneratedStream.of(6 * MIB, 9));
        assertThat(oneStreamAtATime.exists(BlobPaths.namespaceFile("main", "company.team", "after.bin"))).isTrue();
    }
}
