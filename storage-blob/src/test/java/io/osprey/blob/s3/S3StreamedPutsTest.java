package io.osprey.blob.s3;

import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobUri;
import io.osprey.blob.GeneratedStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streamed put holds about one part in memory while it reads it, so many at once would need many parts of heap:
 * only {@code streamed-puts} stream at a time and the others wait for their turn.
 */
class S3StreamedPutsTest {

    private static final long MIB = 1024 * 1024;
    private static final long PART_SIZE = 16 * MIB;
    private static final int STREAMED_PUTS = 2;
    private static final int PUTS = 12;

    @TempDir
    static Path dir;
    private static S3TestServer server;
    private static S3BlobStore store;

    @BeforeAll
    static void startServer() throws IOException {
        server = S3TestServer.start(dir);
        // no upload buffers: every put streams
        store = new S3BlobStore(S3TestServer.withPutMemory(server.settings("osprey-streamed-puts", PART_SIZE), 0, STREAMED_PUTS));
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
    void manyConcurrentPutsFitInAHeapSmallerThanTheirPartsTogether() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("this JVM's heap (surefire's -Xmx)").isLessThan(PUTS * PART_SIZE);
        ExecutorService threads = Executors.newFixedThreadPool(PUTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<GeneratedStream.Digest>> sent = new ArrayList<>();
            for (int i = 0; i < PUTS; i++) {
                long size = PART_SIZE + 3 * MIB + i;
                long seed = i;
                BlobUri uri = uri(i);
                sent.add(threads.submit(() -> {
                    start.await();
                    GeneratedStream content = GeneratedStream.of(size, seed);
                    store.put(uri, content);
                    return new GeneratedStream.Digest(size, content.sha256Hex());
                }));
            }
            start.countDown();
            for (int i = 0; i < PUTS; i++) {
                GeneratedStream.Digest expected = sent.get(i).get(5, TimeUnit.MINUTES);
                assertThat(GeneratedStream.digest(store.get(uri(i)).orElseThrow())).as("put %d", i).isEqualTo(expected);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static BlobUri uri(int i) {
        return BlobPaths.namespaceFile("main", "company.team", "streamed/" + i + ".bin");
    }
}
