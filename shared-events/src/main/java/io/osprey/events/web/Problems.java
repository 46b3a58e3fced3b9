package io.osprey.events.web;

import io.osprey.events.validation.FieldViolation;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RFC 9457 problems both sides answer with: a {@code urn:osprey:problem:*} type, and for bad input the
 * first broken rule's {@code field} and {@code rule} plus every violation under {@code errors}.
 */
public final class Problems {

    private Problems() {
    }

    public static ResponseEntity<ProblemDetail> invalid(List<FieldViolation> violations) {
        FieldViolation first = violations.get(0);
        String detail = violations.size() == 1 ? first.message()
                : first.message() + " (and " + (violations.size() - 1) + " more)";
        return problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", detail,
                Map.of("field", first.field(), "rule", first.rule(), "errors", violations));
    }

    /**
     * A body sent as multipart that cannot be read as one (no boundary, truncated, not multipart at all), wherever
     * it is read: by an upload endpoint, or by any endpoint reading its parameters from a request sent as multipart.
     */
    public static ResponseEntity<ProblemDetail> unreadableMultipart(MultipartException e) {
        if (e instanceof MaxUploadSizeExceededException tooLarge) {
            return problem(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "Payload too large",
                    "the request is larger than the upload limit of " + tooLarge.getMaxUploadSize() + " bytes",
                    Map.of("field", "body", "rule", "max-size"));
        }
        return invalid(List.of(new FieldViolation("body", "multipart",
                "the multipart body cannot be read: " + e.getMostSpecificCause().getMessage())));
    }

    /** A 503 tells the client the dependency is away and when to retry. */
    public static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String title, String detail,
                                                        Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:osprey:problem:" + type));
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            reply.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return reply.body(problem);
    }

    /**
     * Whether a request failed because the JVM ran out of heap: a capacity problem, retried later, not a bug. Spring
     * MVC hands the Error on wrapped in a ServletException.
     */
    public static boolean outOfMemory(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /** The 503 for a request the node had no memory left for. */
    public static ResponseEntity<ProblemDetail> outOfMemoryProblem() {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Service busy",
                "the node ran out of memory for this request; retry later", Map.of());
    }

    /**
     * The problem for an error status set outside any controller: by Tomcat before the application sees the request,
     * or by a request whose body stopped arriving (408, after the server's read timeout).
     */
    public static Map<String, Object> ofStatus(int status, String message) {
        HttpStatus known = HttpStatus.resolve(status);
        // Tomcat's 501 (a Transfer-Encoding or method it does not implement) and 505 (an HTTP version) refuse what the
        // client sent, not a failure of ours
        boolean clientError = status < 500 || status == HttpStatus.NOT_IMPLEMENTED.value()
                || status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED.value();
        boolean timeout = status == HttpStatus.REQUEST_TIMEOUT.value();
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:osprey:problem:" + (timeout ? "timeout" : clientError ? "invalid-request" : "internal"));
        problem.put("title", known == null ? "HTTP " + status : known.getReasonPhrase());
        problem.put("status", status);
        if (timeout) {
            problem.put("detail", "the request did not arrive whole within the server's read timeout; nothing was written");
            problem.put("field", "body");
            problem.put("rule", "timeout");
        } else if (clientError) {
            problem.put("detail", "the request cannot be read as HTTP" + (message == null || message.isBlank() ? "" : ": " + message));
            problem.put("field", "request");
            problem.put("rule", "http");
        } else {
            problem.put("detail", "an unexpected error occurred");
        }
        return problem;
    }
}
