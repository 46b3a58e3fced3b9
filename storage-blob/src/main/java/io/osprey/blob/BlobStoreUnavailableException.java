package io.osprey.blob;

/**
 * The store failed: unreachable, timing out, answering 5xx, refusing our credentials, or a local disk
 * error. Distinct from "not found" (an empty result) and from a bad key ({@link InvalidBlobKeyException}),
 * so callers can answer 503 and retry later.
 */
public class BlobStoreUnavailableException extends RuntimeException {

    public BlobStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
