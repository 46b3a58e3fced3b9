package io.osprey.query.web;

import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.query.blob.PreconditionFailedException;
import io.osprey.query.blob.RangeNotSatisfiableException;
import io.osprey.events.store.DatabaseFailures;
import io.osprey.events.validation.FieldViolation;
import io.osprey.events.validation.InvalidInputException;
import io.osprey.events.web.Problems;
import io.osprey.events.web.RequestProblemHandler;
import io.osprey.query.blob.BlobMissingException;
import io.osprey.query.execution.ExecutionFileNotFoundException;
import io.osprey.query.execution.ExecutionNotFoundException;
import io.osprey.query.execution.PageSpoolException;
import io.osprey.query.log.LogIndexUnavailableException;
import io.osprey.query.namespace.NamespaceFileNotFoundException;
import io.osprey.query.projection.PositionNotReachedException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.coyote.CloseNowException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.util.DisconnectedClientHelper;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static io.osprey.events.web.Problems.invalid;
import static io.osprey.events.web.Problems.problem;

/**
 * Turns every failure of a query into an RFC 9457 problem: 400 naming each parameter and the rule it
 * breaks, 404 for an unknown execution or namespace file, 503 while the database or the blob store is away,
 * 500 only for our own bugs.
 * It extends, and comes before, the handler for requests no controller took, whose generic answer to a type
 * mismatch would not name the rule.
 */
@RestControllerAdvice(basePackages = "io.osprey.query")
@Order(Ordered.HIGHEST_PRECEDENCE)
public class QueryProblemHandler extends RequestProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(QueryProblemHandler.class);

    private final DatabaseFailures databaseFailures;

    public QueryProblemHandler(DatabaseFailures databaseFailures) {
        this.databaseFailures = databaseFailures;
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalidInput(InvalidInputException e) {
        return invalid(e.violations());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        Class<?> required = e.getRequiredType();
        String expected = required != null && Number.class.isAssignableFrom(required) ? "an integer"
                : "of type " + (required == null ? "?" : required.getSimpleName());
        return invalid(List.of(new FieldViolation(e.getName(), "type",
                e.getName() + " must be " + expected + "; got '" + e.getValue() + "'")));
    }

    @ExceptionHandler(ExecutionNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(ExecutionNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage(),
                Map.of("field", "executionId", "rule", "exists"));
    }

    @ExceptionHandler(ExecutionFileNotFoundException.class)
    ResponseEntity<ProblemDetail> executionFileNotFound(ExecutionFileNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage(),
                Map.of("field", "path", "rule", "exists"));
    }

    @ExceptionHandler(NamespaceFileNotFoundException.class)
    ResponseEntity<ProblemDetail> namespaceFileNotFound(NamespaceFileNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage(),
                Map.of("field", e.field(), "rule", "exists"));
    }

    @ExceptionHandler(BlobMissingException.class)
    ResponseEntity<ProblemDetail> blobMissing(BlobMissingException e) {
        log.warn("a recorded file is missing from the file store: {}", e.getMessage());
        return problem(HttpStatus.NOT_FOUND, "blob-missing", "File missing from the store", e.getMessage(),
                Map.of("field", "path", "rule", "blob-missing"));
    }

    @ExceptionHandler(PositionNotReachedException.class)
    ResponseEntity<ProblemDetail> positionNotReached(PositionNotReachedException e) {
        ResponseEntity<ProblemDetail> reply = problem(HttpStatus.SERVICE_UNAVAILABLE, "not-caught-up", "Not caught up",
                e.getMessage(), Map.of("field", "position", "rule", "reached"));
        return ResponseEntity.status(reply.getStatusCode()).headers(reply.getHeaders()).headers(e.headers())
                .body(reply.getBody());
    }

    @ExceptionHandler(PreconditionFailedException.class)
    ResponseEntity<ProblemDetail> preconditionFailed(PreconditionFailedException e) {
        return problem(HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed", e.getMessage(),
                Map.of("field", HttpHeaders.IF_MATCH, "rule", "current-tag"));
    }

    @ExceptionHandler(RangeNotSatisfiableException.class)
    ResponseEntity<ProblemDetail> rangeNotSatisfiable(RangeNotSatisfiableException e) {
        ResponseEntity<ProblemDetail> reply = problem(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range-not-satisfiable",
                "Range not satisfiable", e.getMessage(), Map.of("field", HttpHeaders.RANGE, "rule", "satisfiable"));
        return ResponseEntity.status(reply.getStatusCode()).headers(reply.getHeaders())
                .header(HttpHeaders.CONTENT_RANGE, "bytes */" + e.size()).body(reply.getBody());
    }

    @ExceptionHandler(LogIndexUnavailableException.class)
    ResponseEntity<ProblemDetail> logIndexUnavailable(LogIndexUnavailableException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", e.getMessage(), Map.of());
    }

    @ExceptionHandler(PageSpoolException.class)
    ResponseEntity<ProblemDetail> pageSpoolFailed(PageSpoolException e) {
        log.warn("search refused: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", e.getMessage(), Map.of());
    }

    @ExceptionHandler(BlobStoreUnavailableException.class)
    ResponseEntity<ProblemDetail> blobStoreUnavailable(BlobStoreUnavailableException e) {
        log.warn("request refused, the blob store is unavailable: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                "the file store is unavailable; retry later", Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request, HttpServletResponse response)
            throws Exception {
        if (response.isCommitted()) {
            // part of a streamed reply is out: a problem appended to it would pass for data; thrown on, the
            // failure makes the container cut the connection, which the client sees as an incomplete reply
            if (e instanceof CloseNowException) {
                throw e; // a reply the application cut on purpose (a download short of bytes), logged where it cut it
            }
            if (containerReportedConnectionFailure(e, request)) {
                log.warn("the streamed reply to {} ended, the client's connection failed: {}", request.getRequestURI(),
                        e.toString());
                throw new ClientAbortException(e); // which the container ends without logging it as its own error
            }
            if (dependencyFailed(e)) {
                log.warn("the reply to {} was cut off, a dependency failed: {}", request.getRequestURI(), e.toString());
            } else if (!DisconnectedClientHelper.isClientDisconnectedException(e)) {
                log.error("query failed after its reply began", e);
            }
            throw e;
        }
        if (Problems.outOfMemory(e)) {
            log.error("query refused, the node ran out of memory: {}", e.toString());
            return Problems.outOfMemoryProblem();
        }
        if (DatabaseFailures.isPoolExhausted(e)) {
            log.warn("query refused, every database connection of this node stayed in use: {}", e.toString());
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Service busy", "every one of this node's database "
                    + "connections stayed in use while the query waited for one; retry later", Map.of());
        }
        if (databaseFailures.isDatabaseDown(e)) {
            log.warn("query refused, the database is unavailable: {}", e.toString());
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                    "the read model database is unavailable; retry later", Map.of());
        }
        log.error("query failed unexpectedly", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error", "an unexpected error occurred", Map.of());
    }

    /** The file store or the database failed under a reply already begun: an outage, not a bug of this node. */
    private boolean dependencyFailed(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BlobStoreUnavailableException) {
                return true;
            }
        }
        return databaseFailures.isDatabaseDown(e);
    }

    /**
     * An I/O failure the container found on the request's own connection while the application wrote to it from
     * another thread (a log follow): the container reports it to the asynchronous request, which dispatches it here.
     * A write that timed out because the client stopped reading is one.
     */
    private static boolean containerReportedConnectionFailure(Exception e, HttpServletRequest request) {
        return e instanceof IOException && request.getDispatcherType() == DispatcherType.ASYNC
                && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) == e;
    }
}
