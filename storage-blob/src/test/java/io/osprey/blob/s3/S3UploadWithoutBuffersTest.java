package io.osprey.blob.s3;

import io.osprey.blob.BlobInfo;
import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobUri;
import io.osprey.blob.GeneratedStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A put that finds every upload buffer in use streams instead: with {@code upload-buffers} at 0, every put takes that
 * path, which the contract suite (default buffers) takes only for blobs of 5 MiB and more.
 */
class S3UploadWithoutBuffersTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    static Path dir;
    private static S3TestServer server;
    private static S3BlobStore store;

    @BeforeAll
    static void startServer() throws IOException {
        server = S3TestServer.start(dir);
        store = new S3BlobStore(S3TestServer.withUploadBuffers(server.settings("osprey-unbuffered", 5 * MIB), 0));
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
    void storesBlobsOfEverySizeByStreaming() throws IOException {
        for (long size : new long[] {0, 1, MIB, 5 * MIB - 1, 5 * MIB + 1, 11 * MIB}) {
            GeneratedStream content = GeneratedStream.of(size, size);
            BlobUri uri = BlobPaths.namespaceFile("main", "company.team", "unbuffered-" + size + ".bin");

            BlobInfo info = store.put(uri, content);

            GeneratedStream.Digest sent = new GeneratedStream.Digest(size, content.sha256Hex());
            assertThat(new GeneratedStream.Digest(info.size(), info.sha256())).as("size %d", size).isEqualTo(sent);
            assertThat(GeneratedStream.digest(store.get(uri).orElseThrow())).as("size %d", size).isEqualTo(sent);
        }
    }

    @Test
    void aSmallPutWhoseContentBreaksStoresNothing() {
        BlobUri uri = BlobPaths.namespaceFile("main", "company.team", "broken-small.bin");

        assertThatThrownBy(() -> store.put(uri, GeneratedStream.failingAt(MIB, 9, 1000)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("broken on purpose");
        assertThat(store.exists(uri)).isFalse();
    }
}
