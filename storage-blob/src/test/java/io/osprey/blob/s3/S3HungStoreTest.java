package io.osprey.blob.s3;

import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStoreProperties;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.blob.BlobUri;
import io.osprey.blob.GeneratedStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The S3 store when its server stops answering (suspended, as a hung process or a partition drops packets). */
class S3HungStoreTest {

    private static final Duration IO_TIMEOUT = Duration.ofSeconds(2);
    private static final int MIB = 1024 * 1024;

    @TempDir
    static Path dir;
    private static S3ProxyServer server;
    private static S3BlobStore store;

    @BeforeAll
    static void startServer() throws IOException {
        server = S3ProxyServer.start(dir);
        BlobStoreProperties.S3 s = server.settings("osprey-hung", 5L * MIB);
        // no upload buffers, one put streaming at a time: every put streams, the others wait their turn
        store = new S3BlobStore(new BlobStoreProperties.S3(s.endpoint(), s.region(), s.bucket(), s.accessKey(),
                s.secretKey(), s.pathStyle(), s.partSize(), 0, 1, s.createBucket(), s.connectTimeout(), IO_TIMEOUT, null));
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
    void putsWaitingToStreamBehindOneTheHungStoreHoldsFailWithIt() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(3);
        List<Future<?>> puts = new ArrayList<>();
        server.pause();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < 3; i++) {
                BlobUri uri = BlobPaths.namespaceFile("main", "company.team", "queued-" + i + ".bin");
                long seed = i;
                puts.add(threads.submit(() -> store.put(uri, GeneratedStream.of(6 * MIB, seed))));
            }
            await().atMost(IO_TIMEOUT).until(() -> store.waitingToStream() == 2);

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

        store.put(BlobPaths.namespaceFile("main", "company.team", "after.bin"), GeneratedStream.of(6 * MIB, 9));
        assertThat(store.exists(BlobPaths.namespaceFile("main", "company.team", "after.bin"))).isTrue();
    }
}
