package io.osprey.query.blob;

import io.osprey.blob.BlobUri;

/**
 * A file the read model records whose bytes the store does not hold: deleted from the store behind Osprey's back,
 * or this node reading another store than the command side writes to. Maps to 404 (rule blob-missing).
 */
public class BlobMissingException extends RuntimeException {

    public BlobMissingException(BlobUri uri) {
        super("the file " + uri + " is recorded, but the file store holds no bytes for it: they were deleted from the "
                + "store, or this node reads another store (osprey.blob.*) than the command side writes to");
    }
}
