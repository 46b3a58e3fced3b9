package io.osprey.blob;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where file payloads live (inputs, outputs, namespace files, KV values); events carry only their URI.
 * Adapters: local filesystem (embedded default) and S3 — they arrive with internal storage.
 */
public interface BlobStore {

    /** Streams {@code content} of unknown length to {@code uri}; the blob exists once this returns. */
    BlobInfo put(BlobUri uri, InputStream content) throws IOException;

    /** The blob's bytes as a stream, or empty when there is none. */
    Optional<InputStream> get(BlobUri uri) throws IOException;

    Optional<BlobInfo> stat(BlobUri uri) throws IOException;

    boolean delete(BlobUri uri) throws IOException;
}
