package io.osprey.blob;

/**
 * What an event records of a stored blob: where it is, how many bytes, and their SHA-256 in lower-case hex.
 * {@code put} always knows the SHA-256; {@link BlobStore#stat} may not (null on S3, which would have to copy
 * the object to record it), so the events that reference a blob are where its checksum lives.
 */
public record BlobInfo(BlobUri uri, long size, String sha256) {
}
