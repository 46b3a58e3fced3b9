package io.osprey.command.web;

/** An upload went over {@link UploadLimits}, or a JSON body over its limit. Maps to 413; nothing was written. */
public class UploadTooLargeException extends RuntimeException {

    private final String field;

    public UploadTooLargeException(String field, UploadLimits limits) {
        this(field, field + " is too large: a file may hold at most " + limits.maxFileSize().toBytes()
                + " bytes and a request at most " + limits.maxRequestSize().toBytes() + " bytes");
    }

    public UploadTooLargeException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
