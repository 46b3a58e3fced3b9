package io.osprey.blob;

/**
 * What an event records of a stored blob: where it is, how many bytes, and their SHA-256 in lower-case hex.
 * {@code sha256} is null only from {@link BlobStore#stat} on S3, for an object written by another tool or
 * caught between its upload and the recording of its checksum.
 */
public record BlobInfo(BlobUri uri, long size, String sha256) {
}
