package io.osprey.blob;

import java.time.Instant;

/** One blob in a listing. */
public record BlobEntry(BlobUri uri, long size, Instant lastModified) {
}
