package io.osprey.query.blob;

/** A byte range that starts at or past the end of the file asked for. */
public class RangeNotSatisfiableException extends RuntimeException {

    private final long size;

    public RangeNotSatisfiableException(long size) {
        super("the range starts past the end of the file, which has " + size + " bytes");
        this.size = size;
    }

    public long size() {
        return size;
    }
}
