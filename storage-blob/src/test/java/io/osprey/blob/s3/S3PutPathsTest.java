package io.osprey.blob.s3;

import io.osprey.blob.BlobInfo;
import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.blob.BlobUri;
import io.osprey.blob.GeneratedStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The two ways a put reaches the server. A blob under 5 MiB that gets an upload buffer goes in one PUT carrying the
 * SHA-256 the put computed, which the server checks. A put that finds every buffer in use streams instead: with
 * {@code upload-buffers} at 0 every put does, where the contract suite (default buffers) streams only blobs of 5 MiB
 * and more.
 */
class S3PutPathsTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    static Path dir;
    private static S3TestServer server;
    private static S3BlobStore buffered;
    private static S3BlobStore unbuffered;

    @BeforeAll
    static void startServer() throws IOException {
        server = S3TestServer.start(dir);
        buffered = new S3BlobStore(server.settings("osprey-put-paths", 5 * MIB));
        unbuffered = new S3BlobStore(S3TestServer.withUploadBuffers(server.settings("osprey-put-paths", 5 * MIB), 0));
    }

    @AfterAll
    static void stopServer() {
        for (S3BlobStore store : new S3BlobStore[] {buffered, unbuffered}) {
            if (store != null) {
                store.close();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theServerRefusesAWholePutWhoseBytesDoNotMatchTheirDigest() throws Exception {
        byte[] bytes = "the bytes the event will point at".getBytes(StandardCharsets.UTF_8);
        byte[] otherDigest = sha256("some other bytes".getBytes(StandardCharsets.UTF_8));
        BlobUri uri = BlobPaths.namespaceFile("main", "company.team", "mismatch.txt");

        assertThatThrownBy(() -> buffered.putWhole(uri, bytes, bytes.length, otherDigest))
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("S3 answered 400");
        assertThat(buffered.exists(uri)).isFalse();

        buffered.putWhole(uri, bytes, bytes.length, sha256(bytes));
        try (InputStream in = buffered.get(uri).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void withoutBuffersBlobsOfEverySizeStream() throws IOException {
        for (long size : new long[] {0, 1, MIB, 5 * MIB - 1, 5 * MIB + 1, 11 * MIB}) {
            GeneratedStream content = GeneratedStream.of(size, size);
            BlobUri uri = BlobPaths.namespaceFile("main", "company.team", "unbuffered-" + size + ".bin");

            BlobInfo info = unbuffered.put(uri, content);

            GeneratedStream.Digest sent = new GeneratedStream.Digest(size, content.sha256Hex());
            assertThat(new GeneratedStream.Digest(info.size(), info.sha256())).as("size %d", size).isEqualTo(sent);
            assertThat(GeneratedStream.digest(unbuffered.get(uri).orElseThrow())).as("size %d", size).isEqualTo(sent);
        }
    }

    @Test
    void withoutBuffersASmallPutWhoseContentBreaksStoresNothing() {
        BlobUri uri = BlobPaths.namespaceFile("main", "company.team", "broken-small.bin");

        assertThatThrownBy(() -> unbuffered.put(uri, GeneratedStream.failingAt(MIB, 9, 1000)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("broken on purpose");
        assertThat(unbuffered.exists(uri)).isFalse();
    }

    private static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
