package io.osprey.blob;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * Where file payloads live (inputs, outputs, namespace files, KV values); events carry only their URI.
 * Adapters: {@code LocalBlobStore} (embedded default) and {@code S3BlobStore}; {@link BlobStores} picks one.
 *
 * <p>Every method throws {@link BlobStoreUnavailableException} when the store fails; "not found" is an
 * empty result, never an exception. Keys are checked by {@link BlobUri} and {@link BlobPrefix} before
 * anything reaches a store.
 */
public interface BlobStore extends AutoCloseable {

    /**
     * Streams {@code content} (any length, read once, never held whole in memory) to {@code uri}, replacing
     * any blob there; the size and SHA-256 are computed on the way. The blob is visible, whole, once this
     * returns, and not at all if it fails.
     *
     * @throws IOException when reading {@code content} fails (the caller's stream, not the store)
     */
    BlobInfo put(BlobUri uri, InputStream content) throws IOException;

    /** The blob's bytes, or empty when there is none. The caller closes the stream. */
    default Optional<InputStream> get(BlobUri uri) {
        return get(uri, 0, Long.MAX_VALUE);
    }

    /**
     * At most {@code length} bytes starting at {@code offset}, or empty when there is no blob. A range
     * reaching past the end is cut there; one starting at or past the end gives an empty stream.
     */
    Optional<InputStream> get(BlobUri uri, long offset, long length);

    Optional<BlobInfo> stat(BlobUri uri);

    /**
     * A URL from which a client can GET the blob straight from the store, for a limited time, answered with the given
     * {@code Content-Type} and {@code Content-Disposition}; empty when this store does not serve downloads itself
     * (the default). The caller has checked that the client may read the blob; the URL is not checked against the
     * blob's existence, so that handing it out costs no request to the store.
     */
    default Optional<URI> directDownload(BlobUri uri, String contentType, String contentDisposition) {
        return Optional.empty();
    }

    default boolean exists(BlobUri uri) {
        return stat(uri).isPresent();
    }

    /**
     * Up to {@code pageSize} blobs under {@code prefix} whose keys sort after {@code after} (null: from the
     * start), in key order. Pass the page's {@link BlobPage#next()} as {@code after} to read on.
     */
    BlobPage list(BlobPrefix prefix, String after, int pageSize);

    /** Returns whether there was a blob to delete. */
    boolean delete(BlobUri uri);

    /** Deletes every blob under {@code prefix} and returns how many there were. */
    long deleteByPrefix(BlobPrefix prefix);

    /**
     * Deletes what puts under {@code prefix} started before {@code startedBefore} and never finished, because the
     * writer crashed or the store stopped answering mid-put: an S3 multipart upload's parts, a local store's
     * temporary files. No listing shows them, so only this finds them. Returns how many writes it removed.
     */
    long deleteUnfinished(BlobPrefix prefix, Instant startedBefore);

    /** Releases connections and threads; the store is unusable afterwards. */
    @Override
    void close();

    /** The argument rules every adapter applies to {@link #get(BlobUri, long, long)}. */
    static void checkRange(long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative: " + offset + ", " + length);
        }
    }

    /** The argument rule every adapter applies to {@link #list}. */
    static void checkPageSize(int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1: " + pageSize);
        }
    }
}
