package io.osprey.blob.spring;

import io.osprey.blob.BlobInfo;
import io.osprey.blob.BlobPage;
import io.osprey.blob.BlobPrefix;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobUri;
import io.osprey.blob.local.LocalBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Status;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health check asks about one key, which costs the same however many blobs the store holds; a listing of a
 * tenant made S3Proxy's filesystem store walk every blob of it, and at 10,000 the check outlasted its time limit.
 */
class BlobStoreHealthIndicatorTest {

    @TempDir
    Path root;

    @Test
    void aStoreThatAnswersIsUpWithoutListingWhatItHolds() {
        try (BlobStore store = new NoListing(new LocalBlobStore(root.resolve("blobs")))) {
            assertThat(new BlobStoreHealthIndicator(store).health().getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void aStoreWhoseDirectoryIsNoLongerOneIsDown() throws Exception {
        Path blobs = root.resolve("blobs");
        try (LocalBlobStore store = new LocalBlobStore(blobs)) {
            Files.delete(blobs);
            Files.writeString(blobs, "a file where the store's directory was");

            assertThat(new BlobStoreHealthIndicator(store).health().getStatus()).isEqualTo(Status.DOWN);
        }
    }

    /** A real store that fails a listing: what the check must not need. */
    private record NoListing(BlobStore store) implements BlobStore {

        @Override
        public BlobPage list(BlobPrefix prefix, String after, int pageSize) {
            throw new AssertionError("the health check listed " + prefix);
        }

        @Override
        public BlobInfo put(BlobUri uri, InputStream content) throws java.io.IOException {
            return store.put(uri, content);
        }

        @Override
        public Optional<InputStream> get(BlobUri uri, long offset, long length) {
            return store.get(uri, offset, length);
        }

        @Override
        public Optional<BlobInfo> stat(BlobUri uri) {
            return store.stat(uri);
        }

        @Override
        public boolean delete(BlobUri uri) {
            return store.delete(uri);
        }

        @Override
        public long deleteByPrefix(BlobPrefix prefix) {
            return store.deleteByPrefix(prefix);
        }

        @Override
        public long deleteUnfinished(BlobPrefix prefix, Instant startedBefore) {
            return store.deleteUnfinished(prefix, startedBefore);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
