package io.osprey.blob;

/** A tenant, namespace, path, URI or prefix that breaks the key rules; nothing was read or written. */
public class InvalidBlobKeyException extends IllegalArgumentException {

    public InvalidBlobKeyException(String message) {
        super(message);
    }
}
