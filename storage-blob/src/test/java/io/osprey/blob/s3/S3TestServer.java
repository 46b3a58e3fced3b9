package io.osprey.blob.s3;

import io.osprey.blob.BlobStoreProperties;
import org.testcontainers.DockerClientFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A real S3-protocol server for the contract suite: MinIO in a Testcontainers container where a Docker
 * engine exists, otherwise S3Proxy on loopback. {@code OSPREY_TEST_S3=s3proxy|minio} forces one.
 */
public interface S3TestServer extends AutoCloseable {

    /** Settings of a store on this server that keeps its objects in {@code bucket}, created if missing. */
    default BlobStoreProperties.S3 settings(String bucket, long partSize) {
        return settings(bucket, partSize, null);
    }

    /** The same, with downloads served by the server itself (null: off). */
    BlobStoreProperties.S3 settings(String bucket, long partSize, BlobStoreProperties.DirectDownloads directDownloads);

    /** {@code settings} with {@code uploadBuffers} instead of the default. */
    static BlobStoreProperties.S3 withUploadBuffers(BlobStoreProperties.S3 s, int uploadBuffers) {
        return withPutMemory(s, uploadBuffers, s.streamedPuts());
    }

    /** {@code settings} with {@code uploadBuffers} and {@code streamedPuts} instead of the defaults. */
    static BlobStoreProperties.S3 withPutMemory(BlobStoreProperties.S3 s, int uploadBuffers, int streamedPuts) {
        return new BlobStoreProperties.S3(s.endpoint(), s.region(), s.bucket(), s.accessKey(), s.secretKey(),
                s.pathStyle(), s.partSize(), uploadBuffers, streamedPuts, s.createBucket(), s.connectTimeout(),
                s.ioTimeout(), s.directDownloads());
    }

    @Override
    void close();

    /** Starts the server for this machine; {@code dir} holds S3Proxy's files. */
    static S3TestServer start(Path dir) throws IOException {
        String forced = System.getenv("OSPREY_TEST_S3");
        boolean minio = forced == null || forced.isBlank()
                ? DockerClientFactory.instance().isDockerAvailable()
                : forced.equalsIgnoreCase("minio");
        return minio ? MinioServer.start() : S3ProxyServer.start(dir);
    }
}
