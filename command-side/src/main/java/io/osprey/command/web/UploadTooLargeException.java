package io.osprey.command.web;

/**
 * An upload went over {@link UploadLimits} or a multipart limit of the container, or a JSON body over its limit.
 * Maps to 413 naming the field and the rule; nothing was written.
 */
public class UploadTooLargeException extends RuntimeException {

    private final String field;
    private final String rule;

    public UploadTooLargeException(String field, UploadLimits limits) {
        this(field, field + " is too large: a file may hold at most " + limits.maxFileSize().toBytes()
                + " bytes and a request at most " + limits.maxRequestSize().toBytes() + " bytes");
    }

    public UploadTooLargeException(String field, String message) {
        this(field, "max-size", message);
    }

    public UploadTooLargeException(String field, String rule, String message) {
        super(message);
        this.field = field;
        this.rule = rule;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }
}
