package io.osprey.blob.s3;

import io.osprey.blob.BlobStoreProperties;
import org.testcontainers.DockerClientFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A real S3-protocol server for the contract suite: MinIO in a Testcontainers container where a Docker
 * engine exists, otherwise S3Proxy on loopback. {@code OSPREY_TEST_S3=s3proxy|minio} forces one.
 */
interface S3TestServer extends AutoCloseable {

    /** Settings of a store on this server that keeps its objects in {@code bucket}, created if missing. */
    BlobStoreProperties.S3 settings(String bucket, long partSize);

    @Override
    void close();

    static S3TestServer start(Path dir) throws IOException {
        String forced = System.getenv("OSPREY_TEST_S3");
        boolean minio = forced == null || forced.isBlank()
                ? DockerClientFactory.instance().isDockerAvailable()
                : forced.equalsIgnoreCase("minio");
        return minio ? MinioServer.start() : S3ProxyServer.start(dir);
    }
}
