package io.osprey.command.web;

/**
 * An upload went over {@link UploadLimits} or a multipart limit of the container, or a JSON body over its limit.
 * Maps to 413 naming the field and the rule; nothing was written.
 */
public class UploadTooLargeException extends RuntimeException {

    private final String field;
    private final String rule;

    /** A file part over {@code osprey.files.max-file-size}. */
    public static UploadTooLargeException fileTooLarge(String field, UploadLimits limits) {
        return new UploadTooLargeException(field, "max-file-size",
                field + " is too large: a file may hold at most " + limits.maxFileSize().toBytes() + " bytes");
    }

    /** A multipart body over {@code osprey.files.max-request-size}. */
    public static UploadTooLargeException requestTooLarge(UploadLimits limits) {
        return new UploadTooLargeException("body", "max-request-size",
                "the multipart body may hold at most " + limits.maxRequestSize().toBytes() + " bytes");
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
