package io.osprey.command.web;

/** An upload went over {@link UploadLimits}. Maps to 413; nothing was written. */
public class UploadTooLargeException extends RuntimeException {

    private final String field;

    public UploadTooLargeException(String field, UploadLimits limits) {
        super(field + " is too large: a file may hold at most " + limits.maxFileSize().toBytes()
                + " bytes and a request at most " + limits.maxRequestSize().toBytes() + " bytes");
        this.field = field;
    }

    public String field() {
        return field;
    }
}
