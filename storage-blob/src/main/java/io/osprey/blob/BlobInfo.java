package io.osprey.blob;

/** What an event records of a stored blob: where it is, how big, and its SHA-256 in hex. */
public record BlobInfo(BlobUri uri, long size, String sha256) {
}
