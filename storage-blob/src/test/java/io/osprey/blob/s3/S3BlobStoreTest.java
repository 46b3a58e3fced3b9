package io.osprey.blob.s3;

import io.minio.CreateMultipartUploadArgs;
import io.minio.MinioAsyncClient;
import io.minio.UploadPartArgs;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobUri;
import io.osprey.blob.BlobStoreContract;
import io.osprey.blob.BlobStoreProperties;
import io.osprey.blob.BlobStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The contract against a real S3 server (MinIO where Docker exists, S3Proxy otherwise), with 5 MiB parts
 * (S3's minimum) so that large puts go multipart, and 3 upload buffers.
 */
class S3BlobStoreTest extends BlobStoreContract {

    private static final long PART_SIZE = 5L * 1024 * 1024;
    /** Fewer than the default, so that the contract's concurrent puts outnumber them within this JVM's small heap. */
    private static final int UPLOAD_BUFFERS = 3;

    @TempDir
    static Path dir;
    private static S3TestServer server;
    private static BlobStore store;

    @BeforeAll
    static void startServer() throws IOException {
        server = S3TestServer.start(dir);
        store = BlobStores.create(new BlobStoreProperties(BlobStoreProperties.Type.S3, null,
                S3TestServer.withUploadBuffers(server.settings("osprey-contract", PART_SIZE), UPLOAD_BUFFERS)));
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

    @Override
    protected BlobStore store() {
        return store;
    }

    @Override
    protected boolean statKnowsSha256() {
        return false;
    }

    /** A multipart upload with one part, never completed: what a command side killed mid-upload leaves. */
    @Override
    protected void beginPutAndCrash(BlobUri uri) throws Exception {
        BlobStoreProperties.S3 s3 = server.settings("osprey-contract", PART_SIZE);
        MinioAsyncClient client = MinioAsyncClient.builder().endpoint(s3.endpoint()).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey()).build();
        try {
            String uploadId = client.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(s3.bucket())
                    .object(uri.key()).build()).get().result().uploadId();
            byte[] part = new byte[1024];
            client.uploadPart(UploadPartArgs.builder().bucket(s3.bucket()).object(uri.key()).uploadId(uploadId)
                    .partNumber(1).data(part, part.length).build()).get();
        } finally {
            client.close();
        }
    }
}
