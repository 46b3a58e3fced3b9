package io.osprey.blob.spring;

import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.blob.BlobUri;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * UP when the blob store answers whether it holds one key, DOWN with the reason when it does not. A question about
 * one key costs the same however many the store holds: a one-item listing of a tenant made S3Proxy's filesystem
 * store walk the tenant's whole tree, and at 10,000 blobs the check outlasted the health time limit.
 */
class BlobStoreHealthIndicator implements HealthIndicator {

    private static final BlobUri PROBE = BlobUri.of("main", "osprey", "health-probe");

    private final BlobStore blobStore;

    BlobStoreHealthIndicator(BlobStore blobStore) {
        this.blobStore = blobStore;
    }

    @Override
    public Health health() {
        try {
            blobStore.stat(PROBE);
            return Health.up().withDetail("store", blobStore.getClass().getSimpleName()).build();
        } catch (BlobStoreUnavailableException e) {
            return Health.down().withDetail("store", blobStore.getClass().getSimpleName())
                    .withDetail("error", e.getMessage()).build();
        }
    }
}
