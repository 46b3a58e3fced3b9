package io.osprey.bench.blob;

import io.minio.BucketExistsArgs;
import io.minio.Checksum;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * The raw baseline: plain minio-java against the same S3Proxy, no Osprey in between. A put streams with a
 * known size, the same part size and the same part checksum (CRC32) as Osprey's S3 store; a get reads the
 * object to its end.
 */
final class RawS3 implements AutoCloseable {

    private final MinioClient client;
    private final String bucket;
    private final long partSize;

    RawS3(String endpoint, String bucket, long partSize) throws Exception {
        this.client = MinioClient.builder().endpoint(endpoint).region("us-east-1")
                .credentials(S3Proxy.IDENTITY, S3Proxy.CREDENTIAL).build();
        this.bucket = bucket;
        this.partSize = partSize;
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
    }

    long put(String key, byte[] content) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(content), (long) content.length, partSize)
                .contentType("application/octet-stream").checksum(Checksum.Algorithm.CRC32).build());
        return content.length;
    }

    long put(String key, InputStream content, long size) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(content, size, partSize)
                .contentType("application/octet-stream").checksum(Checksum.Algorithm.CRC32).build());
        return size;
    }

    long get(String key) throws Exception {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return Transfers.drain(in);
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
