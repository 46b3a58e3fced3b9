package io.osprey.blob.s3;

import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.blob.BlobUri;
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

/** A blob under 5 MiB goes in one PUT carrying the SHA-256 the put computed, and the server checks the bytes against it. */
class S3WholePutTest {

    @TempDir
    static Path dir;
    private static S3TestServer server;
    private static S3BlobStore store;

    @BeforeAll
    static void startServer() throws IOException {
        server = S3TestServer.start(dir);
        store = new S3BlobStore(server.settings("osprey-whole-put", 5L * 1024 * 1024));
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
    void theServerRefusesBytesThatDoNotMatchTheirDigest() throws Exception {
        byte[] bytes = "the bytes the event will point at".getBytes(StandardCharsets.UTF_8);
        byte[] otherDigest = sha256("some other bytes".getBytes(StandardCharsets.UTF_8));
        BlobUri uri = BlobPaths.namespaceFile("main", "company.team", "mismatch.txt");

        assertThatThrownBy(() -> store.putWhole(uri, bytes, bytes.length, otherDigest))
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("S3 answered 400");
        assertThat(store.exists(uri)).isFalse();

        store.putWhole(uri, bytes, bytes.length, sha256(bytes));
        try (InputStream in = store.get(uri).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    private static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
