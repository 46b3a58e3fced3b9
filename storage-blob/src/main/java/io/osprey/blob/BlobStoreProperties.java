package io.osprey.blob;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Which store to use and how to reach it. A plain record, so an application can bind it from its own
 * configuration (e.g. Spring Boot's {@code Binder} under {@code osprey.blob}); absent values take the
 * defaults below.
 *
 * @param type  {@code local} (default) or {@code s3}
 * @param local settings of the local-filesystem store
 * @param s3    settings of the S3 store; required when {@code type} is {@code s3}
 */
public record BlobStoreProperties(Type type, Local local, S3 s3) {

    public enum Type { LOCAL, S3 }

    public BlobStoreProperties {
        type = type == null ? Type.LOCAL : type;
        local = local == null ? new Local(null) : local;
    }

    /** @param root directory holding the blobs; default {@code ./data/blobs} */
    public record Local(Path root) {

        public static final Path DEFAULT_ROOT = Path.of("data", "blobs");

        public Local {
            root = root == null ? DEFAULT_ROOT : root;
        }
    }

    /**
     * @param endpoint       e.g. {@code http://minio:9000}
     * @param region         default {@code us-east-1}
     * @param bucket         one bucket holds every tenant's blobs
     * @param accessKey      access key id
     * @param secretKey      secret access key
     * @param pathStyle      {@code http://host/bucket/key} (default, what MinIO and S3Proxy expect) rather than
     *                       {@code http://bucket.host/key}
     * @param partSize       bytes per multipart part, 5 MiB to 5 GiB; default 16 MiB. A streamed put holds about one
     *                       part in memory at a time (up to one and a half while it grows its buffer)
     * @param uploadBuffers  how many 5 MiB buffers puts may keep for reuse, 0 to 1024; default 8. A blob under 5 MiB
     *                       is read whole into one and sent in one PUT; while all are in use, puts stream instead
     * @param streamedPuts   how many puts may stream at once, 1 to 1024; the others wait for their turn, so however many
     *                       uploads run, streaming takes at most this many times one and a half parts of memory.
     *                       Default: as many as fit in an eighth of the heap that way, at least 1
     * @param createBucket   create the bucket when it is missing: at start, or on the first call that reaches a store
     *                       unreachable at start; default true
     * @param connectTimeout how long to wait for a connection before the store counts as unavailable; default 10 s
     * @param ioTimeout      how long one read from or write to the store's connection may wait before the store counts
     *                       as unavailable; default 30 s. A store that stops answering without closing its connections
     *                       fails the request after this long instead of holding it
     * @param directDownloads whether downloads are answered with a redirect to the store; default off
     */
    public record S3(String endpoint, String region, String bucket, String accessKey, String secretKey,
                     Boolean pathStyle, Long partSize, Integer uploadBuffers, Integer streamedPuts, Boolean createBucket,
                     Duration connectTimeout, Duration ioTimeout, DirectDownloads directDownloads) {

        public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
        public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
        public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;
        public static final int DEFAULT_UPLOAD_BUFFERS = 8;
        public static final int MAX_UPLOAD_BUFFERS = 1024;
        public static final int MAX_STREAMED_PUTS = 1024;

        public S3 {
            require("endpoint", endpoint);
            require("bucket", bucket);
            require("access-key", accessKey);
            require("secret-key", secretKey);
            region = region == null || region.isBlank() ? "us-east-1" : region;
            pathStyle = pathStyle == null || pathStyle;
            partSize = partSize == null ? DEFAULT_PART_SIZE : partSize;
            if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
                throw new IllegalArgumentException("osprey.blob.s3.part-size must be between 5 MiB and 5 GiB, got " + partSize);
            }
            uploadBuffers = uploadBuffers == null ? DEFAULT_UPLOAD_BUFFERS : uploadBuffers;
            if (uploadBuffers < 0 || uploadBuffers > MAX_UPLOAD_BUFFERS) {
                throw new IllegalArgumentException("osprey.blob.s3.upload-buffers must be between 0 and "
                        + MAX_UPLOAD_BUFFERS + ", got " + uploadBuffers);
            }
            streamedPuts = streamedPuts == null ? defaultStreamedPuts(Runtime.getRuntime().maxMemory(), partSize) : streamedPuts;
            if (streamedPuts < 1 || streamedPuts > MAX_STREAMED_PUTS) {
                throw new IllegalArgumentException("osprey.blob.s3.streamed-puts must be between 1 and "
                        + MAX_STREAMED_PUTS + ", got " + streamedPuts);
            }
            createBucket = createBucket == null || createBucket;
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
            ioTimeout = ioTimeout == null ? Duration.ofSeconds(30) : ioTimeout;
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("osprey.blob.s3.connect-timeout must be positive, got " + connectTimeout);
            }
            if (ioTimeout.isNegative() || ioTimeout.isZero()) {
                throw new IllegalArgumentException("osprey.blob.s3.io-timeout must be positive, got " + ioTimeout);
            }
            directDownloads = (directDownloads == null ? DirectDownloads.OFF : directDownloads).orEndpoint(endpoint);
        }

        /** As many streamed puts as fit in an eighth of the heap, each holding up to one and a half parts. */
        static int defaultStreamedPuts(long maxHeap, long partSize) {
            long fit = maxHeap / 8 / (partSize + partSize / 2);
            return (int) Math.max(1, Math.min(MAX_STREAMED_PUTS, fit));
        }

        private static void require(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("osprey.blob.s3." + name + " is required");
            }
        }

        /** Hides the secret from logs and error messages. */
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", accessKey=" + accessKey
                    + ", pathStyle=" + pathStyle + ", partSize=" + partSize + ", uploadBuffers=" + uploadBuffers
                    + ", streamedPuts=" + streamedPuts + ", createBucket=" + createBucket
                    + ", connectTimeout=" + connectTimeout + ", ioTimeout=" + ioTimeout
                    + ", directDownloads=" + directDownloads + "]";
        }
    }

    /**
     * Downloads served by the store itself: the query side checks that the caller may read a file, then answers
     * with a redirect to a presigned URL, so the bytes no longer pass through Osprey. Only for clients that can
     * reach the store and follow redirects.
     *
     * @param enabled  default false: Osprey streams every download itself
     * @param endpoint the store as clients reach it (e.g. {@code https://files.example.com}); default: {@code endpoint}
     *                 of the S3 settings
     * @param expiry   how long a redirect's URL stays valid, 1 s to 7 days; default 5 min (a client follows at once)
     */
    public record DirectDownloads(Boolean enabled, String endpoint, Duration expiry) {

        /** S3's own limit on a presigned URL. */
        public static final Duration MAX_EXPIRY = Duration.ofDays(7);
        static final DirectDownloads OFF = new DirectDownloads(false, null, null);

        public DirectDownloads {
            enabled = enabled != null && enabled;
            expiry = expiry == null ? Duration.ofMinutes(5) : expiry;
            if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
                throw new IllegalArgumentException("osprey.blob.s3.direct-downloads.expiry must be between 1s and 7d, got " + expiry);
            }
        }

        private DirectDownloads orEndpoint(String storeEndpoint) {
            return endpoint == null || endpoint.isBlank() ? new DirectDownloads(enabled, storeEndpoint, expiry) : this;
        }
    }
}
