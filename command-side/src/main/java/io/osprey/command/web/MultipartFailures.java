package io.osprey.command.web;

import io.osprey.events.validation.InvalidInputException;
import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.FileSizeLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.SizeLimitExceededException;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartException;

/**
 * The problem a multipart body the container could not parse answers, naming the limit it broke. Spring reports
 * each of the container's limits (a file, the request, the fields together, one part's headers, the number of parts)
 * as one "maximum upload size exceeded", or as an unreadable body: that named limits the request had kept.
 */
@Component
public class MultipartFailures {

    private final UploadLimits uploads;
    private final ServerProperties server;

    public MultipartFailures(UploadLimits uploads, ServerProperties server) {
        this.uploads = uploads;
        this.server = server;
    }

    /** {@code field} names what the form holds, {@code inputs} or {@code outputs}: a file part's field is below it. */
    public RuntimeException problem(MultipartException failure, String field) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FileSizeLimitExceededException file) {
                String part = field + "." + file.getFieldName();
                return new UploadTooLargeException(part, "max-file-size", part + " is too large: a file may hold at most " + uploads.maxFileSize().toBytes() + " bytes");
            }
            if (cause instanceof FileCountLimitExceededException count) {
                return new UploadTooLargeException("body", "max-parts",
                        "the multipart body may hold at most " + count.getLimit() + " parts");
            }
            if (cause instanceof SizeLimitExceededException size) {
                return size.getPermittedSize() == uploads.maxRequestSize().toBytes()
                        ? new UploadTooLargeException("body", "max-request-size",
                        "the multipart body may hold at most " + size.getPermittedSize() + " bytes")
                        : new UploadTooLargeException("body", "max-part-header-size",
                        "a part's headers (its name, file name and content type) may hold at most "
                                + size.getPermittedSize() + " bytes");
            }
            if (cause instanceof IllegalStateException && cause.getCause() == null) {
                // the container's own words for its limit on the fields together, which it gives no type of its own
                return new UploadTooLargeException("body", "max-fields-size", "the fields of the multipart body may "
                        + "hold at most " + server.getTomcat().getMaxHttpFormPostSize().toBytes()
                        + " bytes together; send larger values as file parts");
            }
        }
        return new InvalidInputException("body", "multipart",
                "the multipart body cannot be read: " + failure.getMostSpecificCause().getMessage());
    }
}
