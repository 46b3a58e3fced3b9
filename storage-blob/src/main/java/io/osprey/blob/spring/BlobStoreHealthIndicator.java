package io.osprey.blob.spring;

import io.osprey.blob.BlobPrefix;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobStoreUnavailableException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** UP when the blob store answers a one-item listing, DOWN with the reason when it does not. */
class BlobStoreHealthIndicator implements HealthIndicator {

    private static final BlobPrefix PROBE = BlobPrefix.of("main");

    private final BlobStore blobStore;

    BlobStoreHealthIndicator(BlobStore blobStore) {
        this.blobStore = blobStore;
    }

    @Override
    public Health health() {
        try {
            blobStore.list(PROBE, null, 1);
            return Health.up().withDetail("store", blobStore.getClass().getSimpleName()).build();
        } catch (BlobStoreUnavailableException e) {
            return Health.down().withDetail("store", blobStore.getClass().getSimpleName())
                    .withDetail("error", e.getMessage()).build();
        }
    }
}
