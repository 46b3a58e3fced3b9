package io.osprey.blob.s3;

import io.osprey.blob.BlobStoreProperties;
import org.testcontainers.containers.MinIOContainer;

import java.time.Duration;

/** MinIO in a Testcontainers container: the S3 server of production, where a Docker engine exists. */
final class MinioServer implements S3TestServer {

    private static final String IMAGE = "minio/minio:RELEASE.2025-02-28T09-55-16Z";

    private final MinIOContainer container;

    private MinioServer(MinIOContainer container) {
        this.container = container;
    }

    static MinioServer start() {
        MinIOContainer container = new MinIOContainer(IMAGE);
        container.start();
        return new MinioServer(container);
    }

    @Override
    public BlobStoreProperties.S3 settings(String bucket, long partSize, BlobStoreProperties.DirectDownloads directDownloads) {
        return new BlobStoreProperties.S3(container.getS3URL(), "us-east-1", bucket, container.getUserName(),
                container.getPassword(), true, partSize, null, null, true, Duration.ofSeconds(5), null, directDownloads);
    }

    @Override
    public void close() {
        container.stop();
    }
}
