package io.osprey.blob;

import io.osprey.blob.local.LocalBlobStore;
import io.osprey.blob.s3.S3BlobStore;

/** Builds the store that the properties name. */
public final class BlobStores {

    private BlobStores() {
    }

    public static BlobStore create(BlobStoreProperties properties) {
        return switch (properties.type()) {
            case LOCAL -> new LocalBlobStore(properties.local().root());
            case S3 -> {
                if (properties.s3() == null) {
                    throw new IllegalArgumentException("osprey.blob.s3 settings are required when osprey.blob.type is s3");
                }
                yield new S3BlobStore(properties.s3());
            }
        };
    }
}
