package io.osprey.blob.s3;

import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.Checksum;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectAPIArgs;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.DeleteRequest;
import io.minio.messages.DeleteResult;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import io.osprey.blob.BlobEntry;
import io.osprey.blob.BlobInfo;
import io.osprey.blob.BlobPage;
import io.osprey.blob.BlobPrefix;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobStoreProperties;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.blob.BlobUri;
import io.osprey.blob.DigestingInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * Blobs as objects in one S3 bucket (MinIO, S3Proxy, AWS…), through minio-java. The object key is the
 * blob's storage key ({@link BlobUri#key()}).
 *
 * <p>A put reads the first {@link #UPLOAD_BUFFER_SIZE} bytes into a pooled buffer ({@link UploadBuffers}). A blob
 * that ends within them goes in one PUT from that buffer, signed with the SHA-256 computed while reading; a longer one
 * streams through a multipart upload of unknown length, holding about one part in memory. Every PUT carries a CRC32
 * checksum, and the put returns the SHA-256 of the whole blob. S3 takes metadata only when an upload starts,
 * before a streamed blob's checksum is known, and recording it afterwards would copy the whole object again; the
 * events that reference a blob carry its checksum, so {@link #stat} reports size only.
 */
public final class S3BlobStore implements BlobStore {

    private static final System.Logger log = System.getLogger(S3BlobStore.class.getName());
    /** S3 lists at most 1000 keys per answer, and DeleteObjects takes at most 1000 keys per request. */
    private static final int BATCH = 1000;
    /** How often a put waiting its turn to stream looks whether the store failed one meanwhile. */
    private static final long TURN_CHECK_MILLIS = 100;
    private static final String CONTENT_TYPE = "application/octet-stream";
    /**
     * The checksum S3 verifies on each part. minio-java's default, CRC32C, is computed in plain Java (a third of the
     * command side's CPU on an upload, profiled with JFR); CRC32 is computed by the JDK's intrinsic, and is valid
     * for single-part and multipart uploads alike.
     */
    private static final Checksum.Algorithm PART_CHECKSUM = Checksum.Algorithm.CRC32;
    /**
     * A blob shorter than this goes in one PUT from a pooled buffer; a longer one streams as a multipart upload. S3's
     * smallest part: below it, a blob is one part anyway.
     */
    static final int UPLOAD_BUFFER_SIZE = (int) BlobStoreProperties.S3.MIN_PART_SIZE;
    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject", "ResourceNotFound");
    private static final Set<String> BUCKET_EXISTS = Set.of("BucketAlreadyOwnedByYou", "BucketAlreadyExists");

    /** The async client, awaited on each call: only its low-level PUT takes checksums computed elsewhere. */
    private final MinioAsyncClient client;
    /** Signs direct-download URLs for the endpoint clients reach; null when direct downloads are off. */
    private final MinioAsyncClient presigner;
    private final int directDownloadSeconds;
    private final String bucket;
    private final long partSize;
    private final UploadBuffers uploadBuffers;
    /** Turns to stream: each streamed put holds a part in memory, so their number bounds that memory. */
    private final Semaphore streamedPuts;
    /** Streamed puts the store failed so far: a put waiting its turn gives up when one fails meanwhile. */
    private final AtomicLong failedStreamedPuts = new AtomicLong();
    /**
     * Whether the bucket is known to be there: with {@code create-bucket}, not until the store has answered, so that a
     * node started during an outage creates (or finds) it on the first call that reaches the store.
     */
    private volatile boolean bucketReady;

    public S3BlobStore(BlobStoreProperties.S3 settings) {
        this.bucket = settings.bucket();
        this.partSize = settings.partSize();
        this.uploadBuffers = new UploadBuffers(UPLOAD_BUFFER_SIZE, settings.uploadBuffers());
        this.streamedPuts = new Semaphore(settings.streamedPuts(), true);
        BlobStoreProperties.DirectDownloads direct = settings.directDownloads();
        // built first, so that a malformed public endpoint fails before any connection pool exists; with its region
        // given, minio-java signs a URL without asking the server anything
        this.presigner = direct.enabled() ? MinioAsyncClient.builder()
                .endpoint(direct.endpoint())
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey())
                .build() : null;
        this.client = MinioAsyncClient.builder()
                .endpoint(settings.endpoint())
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey())
                .build();
        this.directDownloadSeconds = (int) direct.expiry().toSeconds();
        try {
            for (MinioAsyncClient minio : presigner == null ? List.of(client) : List.of(client, presigner)) {
                if (settings.pathStyle()) {
                    minio.disableVirtualStyleEndpoint();
                } else {
                    minio.enableVirtualStyleEndpoint();
                }
            }
            client.setTimeout(settings.connectTimeout().toMillis(), settings.ioTimeout().toMillis(),
                    settings.ioTimeout().toMillis());
            bucketReady = !settings.createBucket();
            if (settings.createBucket()) {
                createBucketIfMissing();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Fails the start only when the store refuses (access denied, an invalid bucket name: a 4xx); a store that does
     * not answer, or answers as no S3 does, is an outage, which must not keep the node from serving what needs no
     * blobs: the bucket is then made by the first call that reaches the store.
     */
    private void createBucketIfMissing() {
        try {
            ensureBucket();
        } catch (BlobStoreUnavailableException e) {
            if (e.getCause() instanceof ErrorResponseException refused && refused.response().code() < 500) {
                throw e;
            }
            log.log(System.Logger.Level.WARNING, "the S3 store is unavailable, bucket " + bucket
                    + " will be created or found when it answers: " + e.getMessage());
        }
    }

    private void ensureBucket() {
        // unsynchronized: calls racing here while the store is away each fail on their own, and racing creates agree
        bucketReady = exchange("create bucket " + bucket, () -> {
            try {
                if (!await(client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()))) {
                    await(client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build()));
                }
            } catch (ErrorResponseException e) {
                if (!BUCKET_EXISTS.contains(e.errorResponse().code())) { // else another node created it in between
                    throw e;
                }
            }
            return true;
        });
    }

    @Override
    public BlobInfo put(BlobUri uri, InputStream content) throws IOException {
        DigestingInputStream in = new DigestingInputStream(content);
        byte[] buffer = uploadBuffers.take();
        try {
            if (buffer == null) {
                stream(uri, in, in);
            } else {
                int read = in.readNBytes(buffer, 0, buffer.length);
                if (read < buffer.length) {
                    putWhole(uri, buffer, read, in.sha256());
                } else {
                    stream(uri, new SequenceInputStream(new ByteArrayInputStream(buffer, 0, read), in), in);
                }
            }
        } finally {
            uploadBuffers.release(buffer);
        }
        return new BlobInfo(uri, in.size(), in.sha256Hex());
    }

    /**
     * One PUT straight from the buffer. The SHA-256 the put computed signs the payload, so minio-java neither copies
     * the bytes nor hashes them again, and the store checks them against the digest the events will carry; their
     * CRC32, which the JDK computes with an intrinsic, is the same part checksum a streamed upload sends.
     */
    void putWhole(BlobUri uri, byte[] buffer, int length, byte[] sha256) throws IOException {
        PutObjectArgs args = PutObjectArgs.builder().bucket(bucket).object(uri.key()).data(buffer, length)
                .contentType(CONTENT_TYPE).build();
        CRC32 crc32 = new CRC32();
        crc32.update(buffer, 0, length);
        byte[] crc = ByteBuffer.allocate(Integer.BYTES).putInt((int) crc32.getValue()).array();
        Http.Headers checksums = new Http.Headers(
                Http.Headers.X_AMZ_CONTENT_SHA256, HexFormat.of().formatHex(sha256),
                Http.Headers.X_AMZ_SDK_CHECKSUM_ALGORITHM, PART_CHECKSUM.toString(),
                PART_CHECKSUM.header(), Base64.getEncoder().encodeToString(crc));
        PutObjectAPIArgs whole = new PutObjectAPIArgs(args, buffer, length, args.contentType(), checksums);
        call("put " + uri, () -> await(client.putObject(whole)));
    }

    /**
     * A multipart upload of unknown length, of which minio-java holds about one part in memory; it waits while
     * {@code streamed-puts} others stream, for as long as they take, unless the store fails one of them meanwhile:
     * a store that stopped answering fails each after {@code io-timeout}, and the puts queued behind would each wait
     * that long again.
     */
    private void stream(BlobUri uri, InputStream content, DigestingInputStream digesting) throws IOException {
        long failedBefore = failedStreamedPuts.get();
        try {
            while (!streamedPuts.tryAcquire(TURN_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                if (failedStreamedPuts.get() != failedBefore) {
                    throw failedMeanwhile(uri);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to stream " + uri);
        }
        if (failedStreamedPuts.get() != failedBefore) { // the turn of the put that failed, handed on
            streamedPuts.release();
            throw failedMeanwhile(uri);
        }
        try {
            call("put " + uri, () -> await(client.putObject(PutObjectArgs.builder().bucket(bucket).object(uri.key())
                    .stream(content, null, partSize)
                    .contentType(CONTENT_TYPE)
                    .checksum(PART_CHECKSUM)
                    .build())));
        } catch (RuntimeException e) {
            if (digesting.sourceFailure() != null) {
                throw digesting.sourceFailure();
            }
            if (e instanceof BlobStoreUnavailableException) {
                failedStreamedPuts.incrementAndGet();
            }
            throw e;
        } finally {
            streamedPuts.release();
        }
    }

    private static BlobStoreUnavailableException failedMeanwhile(BlobUri uri) {
        return new BlobStoreUnavailableException("cannot put " + uri + ": the store failed a put this one waited behind",
                null);
    }

    /** How many puts wait for their turn to stream. */
    int waitingToStream() {
        return streamedPuts.getQueueLength();
    }

    @Override
    public Optional<InputStream> get(BlobUri uri, long offset, long length) {
        BlobStore.checkRange(offset, length);
        if (length == 0) {
            // a Range header cannot ask for zero bytes
            return exists(uri) ? Optional.of(InputStream.nullInputStream()) : Optional.empty();
        }
        GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(bucket).object(uri.key());
        if (length < Long.MAX_VALUE - offset) {
            args.offset(offset).length(length);
        } else if (offset > 0) {
            args.offset(offset); // to the end
        }
        return call("get " + uri, () -> {
            try {
                return Optional.of(await(client.getObject(args.build())));
            } catch (ErrorResponseException e) {
                if (NOT_FOUND.contains(e.errorResponse().code())) {
                    return Optional.empty();
                }
                if ("InvalidRange".equals(e.errorResponse().code())) {
                    // the range starts at or past the end of an existing blob
                    return Optional.of(InputStream.nullInputStream());
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<BlobInfo> stat(BlobUri uri) {
        return call("stat " + uri, () -> {
            try {
                StatObjectResponse stat = await(client.statObject(
                        StatObjectArgs.builder().bucket(bucket).object(uri.key()).build()));
                return Optional.of(new BlobInfo(uri, stat.size(), null));
            } catch (ErrorResponseException e) {
                if (NOT_FOUND.contains(e.errorResponse().code())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<URI> directDownload(BlobUri uri, String contentType, String contentDisposition) {
        if (presigner == null) {
            return Optional.empty();
        }
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("response-content-type", contentType);
        answer.put("response-content-disposition", contentDisposition);
        String url = exchange("sign a download of " + uri, () -> presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Http.Method.GET)
                .bucket(bucket)
                .object(uri.key())
                .expiry(directDownloadSeconds)
                .extraQueryParams(answer)
                .build()));
        return Optional.of(URI.create(url));
    }

    @Override
    public BlobPage list(BlobPrefix prefix, String after, int pageSize) {
        BlobStore.checkPageSize(pageSize);
        ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(bucket)
                .prefix(prefix.value())
                .recursive(true)
                .maxKeys(Math.min(pageSize + 1, BATCH));
        if (after != null) {
            args.startAfter(after);
        }
        List<BlobEntry> entries = new ArrayList<>();
        call("list " + prefix, () -> {
            // the iterable fetches further pages from the server as it is consumed
            for (Result<Item> result : client.listObjects(args.build())) {
                Item item = result.get();
                Optional<BlobUri> uri = BlobUri.fromKey(item.objectName());
                if (uri.isPresent()) {
                    entries.add(new BlobEntry(uri.get(), item.size(), item.lastModified().toInstant()));
                    if (entries.size() > pageSize) {
                        break;
                    }
                }
            }
            return null;
        });
        return BlobPage.of(entries, pageSize);
    }

    @Override
    public boolean delete(BlobUri uri) {
        if (!exists(uri)) {
            return false; // S3 deletes answer the same whether or not the object was there
        }
        call("delete " + uri, () -> {
            await(client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(uri.key()).build()));
            return null;
        });
        return true;
    }

    @Override
    public long deleteByPrefix(BlobPrefix prefix) {
        return call("delete under " + prefix, () -> {
            long deleted = 0;
            List<DeleteRequest.Object> batch = new ArrayList<>(BATCH);
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket)
                    .prefix(prefix.value()).recursive(true).build())) {
                batch.add(new DeleteRequest.Object(result.get().objectName()));
                if (batch.size() == BATCH) {
                    deleted += remove(batch);
                    batch.clear();
                }
            }
            return batch.isEmpty() ? deleted : deleted + remove(batch);
        });
    }

    /** Multipart uploads under the prefix initiated before the cutoff, which no one will complete, are aborted. */
    @Override
    public long deleteUnfinished(BlobPrefix prefix, Instant startedBefore) {
        return call("abort unfinished uploads under " + prefix, () -> {
            long aborted = 0;
            String keyMarker = null;
            String uploadIdMarker = null;
            while (true) {
                ListMultipartUploadsArgs.Builder args = ListMultipartUploadsArgs.builder().bucket(bucket)
                        .prefix(prefix.value()).maxUploads(BATCH);
                if (keyMarker != null) {
                    args.keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
                }
                ListMultipartUploadsResult page = await(client.listMultipartUploads(args.build())).result();
                for (ListMultipartUploadsResult.Upload upload : page.uploads()) {
                    if (upload.initiated() != null && upload.initiated().toInstant().isBefore(startedBefore)) {
                        await(client.abortMultipartUpload(AbortMultipartUploadArgs.builder().bucket(bucket)
                                .object(upload.objectName()).uploadId(upload.uploadId()).build()));
                        aborted++;
                    }
                }
                if (!page.isTruncated() || page.nextKeyMarker() == null) {
                    return aborted;
                }
                keyMarker = page.nextKeyMarker();
                uploadIdMarker = page.nextUploadIdMarker();
            }
        });
    }

    /** The result iterable sends the request only as it is read, and yields only the failures. */
    private long remove(List<DeleteRequest.Object> batch) throws MinioException {
        for (Result<DeleteResult.Error> result : client.removeObjects(
                RemoveObjectsArgs.builder().bucket(bucket).objects(List.copyOf(batch)).build())) {
            DeleteResult.Error error = result.get();
            throw new BlobStoreUnavailableException("cannot delete " + error.objectName() + ": " + error.code()
                    + " " + error.message(), null);
        }
        return batch.size();
    }

    @Override
    public void close() {
        try {
            client.close();
            if (presigner != null) {
                presigner.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the S3 client", e);
        }
    }

    private interface S3Call<T> {
        T run() throws MinioException;
    }

    /** Waits for one exchange; failures as the synchronous client reports them (see {@link #call}). */
    private <T> T await(CompletableFuture<T> exchange) throws MinioException {
        try {
            return exchange.join();
        } catch (CompletionException e) {
            client.throwMinioException(e);
            throw e; // not reached: the client always throws
        }
    }

    /** {@link #exchange}, after making sure the bucket is there (see {@link #bucketReady}). */
    private <T> T call(String action, S3Call<T> call) {
        if (!bucketReady) {
            ensureBucket();
        }
        return exchange(action, call);
    }

    /**
     * Runs one exchange with the server, turning its failures into the port's. minio reports an error
     * answer, or one it cannot read as S3's ({@code XmlParserException}…), as a {@link MinioException}; an I/O
     * failure (refused connection, reset, timeout) as an {@link IllegalStateException} around the
     * {@link IOException}, and so any other failure to read the answer (a 200 without the headers S3 sends).
     */
    private <T> T exchange(String action, S3Call<T> call) {
        try {
            return call.run();
        } catch (ErrorResponseException e) {
            throw new BlobStoreUnavailableException("cannot " + action + ": S3 answered " + e.response().code() + " "
                    + e.errorResponse().code() + " (" + e.errorResponse().message() + ")", e);
        } catch (MinioException e) {
            throw new BlobStoreUnavailableException("cannot " + action + ": " + e, e);
        } catch (IllegalStateException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String why = cause instanceof IOException ? cause.toString()
                    : "the store did not answer as S3 does (" + cause + ")";
            throw new BlobStoreUnavailableException("cannot " + action + ": " + why, cause);
        }
    }
}
