package io.osprey.command.web;

import io.osprey.command.dispatch.ContendedException;
import io.osprey.command.dispatch.CommitOutcomeUnknownException;
import io.osprey.command.dispatch.StaleVersionException;
import io.osprey.command.execution.ConflictException;
import io.osprey.command.execution.InvalidTransitionException;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.events.store.AppendTooLateException;
import io.osprey.command.execution.UnknownTaskRunException;
import io.osprey.command.log.IdempotencyKeyReusedException;
import io.osprey.command.log.InvalidLogBatchException;
import io.osprey.command.log.LineViolation;
import io.osprey.command.log.LogBatchTooLargeException;
import io.osprey.command.namespace.PathConflictException;
import io.osprey.command.namespace.PathNotFoundException;
import io.osprey.events.store.DatabaseFailures;
import io.osprey.events.validation.InvalidInputException;
import io.osprey.events.web.Problems;
import io.osprey.events.web.RequestProblemHandler;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.osprey.events.web.Problems.invalid;
import static io.osprey.events.web.Problems.problem;

/**
 * Turns every failure of a command request into an RFC 9457 problem: 4xx for what the client can
 * fix (naming the field and the rule), 503 when a dependency is down, 500 only for our own bugs.
 */
@RestControllerAdvice(basePackages = "io.osprey.command")
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CommandProblemHandler extends RequestProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandProblemHandler.class);

    private final DatabaseFailures databaseFailures;

    public CommandProblemHandler(DatabaseFailures databaseFailures) {
        this.databaseFailures = databaseFailures;
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<?> invalidInput(InvalidInputException e) {
        return invalid(e.violations());
    }

    /** Like {@link #invalidInput}, plus the 1-based {@code line} of the first bad log line (and of each violation). */
    @ExceptionHandler(InvalidLogBatchException.class)
    ResponseEntity<?> invalidLogBatch(InvalidLogBatchException e) {
        List<LineViolation> violations = e.lineViolations();
        LineViolation first = violations.get(0);
        int more = violations.size() - 1;
        String detail = first.message() + (more == 0 ? "" : " (and " + more + " more)")
                + (e.truncated() ? "; reading stopped after " + violations.size() + " violations" : "");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("field", first.field());
        properties.put("rule", first.rule());
        if (first.line() != null) {
            properties.put("line", first.line());
        }
        properties.put("errors", violations);
        if (e.truncated()) {
            properties.put("truncated", true);
        }
        return problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", detail, properties);
    }

    @ExceptionHandler(LogBatchTooLargeException.class)
    ResponseEntity<?> logBatchTooLarge(LogBatchTooLargeException e) {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "Payload too large", e.getMessage(),
                Map.of("field", e.field(), "rule", e.rule(), "limit", e.limit()));
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ResponseEntity<?> idempotencyKeyReused(IdempotencyKeyReusedException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, e.rule(), "Idempotency-Key reused", e.getMessage(),
                Map.of("field", e.field(), "rule", e.rule()));
    }

    @ExceptionHandler(InvalidTransitionException.class)
    ResponseEntity<?> invalidTransition(InvalidTransitionException e) {
        return problem(HttpStatus.CONFLICT, "invalid-transition", "Invalid state transition", e.getMessage(),
                Map.of("field", "state", "rule", "transition", "subject", e.subject(), "from", e.from().name(),
                        "to", e.to().name()));
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<?> conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, e.rule(), "Conflict", e.getMessage(), Map.of("field", e.field(), "rule", e.rule()));
    }

    @ExceptionHandler(AggregateStreamCreationException.class)
    ResponseEntity<?> alreadyExists(AggregateStreamCreationException e) {
        return problem(HttpStatus.CONFLICT, "already-exists", "Already exists",
                "an execution with this id already exists", Map.of("field", "id", "rule", "unique"));
    }

    @ExceptionHandler(StaleVersionException.class)
    ResponseEntity<?> staleVersion(StaleVersionException e) {
        return problem(HttpStatus.PRECONDITION_FAILED, "stale-version", "Stale version", e.getMessage(),
                Map.of("field", "If-Match", "rule", "current-version", "expectedVersion", e.expected(),
                        "actualVersion", e.actual()));
    }

    @ExceptionHandler(ContendedException.class)
    ResponseEntity<?> contended(ContendedException e) {
        log.warn("command refused: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "contended", "Contended", e.getMessage()
                + "; nothing was written, retry", Map.of("field", "version", "rule", "contended"));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<?> concurrentModification(ConcurrencyException e) {
        return problem(HttpStatus.PRECONDITION_FAILED, "concurrent-modification", "Concurrent modification",
                "another command changed the same target at the same time; reload and retry",
                Map.of("field", "version", "rule", "concurrent-modification"));
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<?> notFound(AggregateNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", "no such execution",
                Map.of("field", "executionId", "rule", "exists"));
    }

    @ExceptionHandler(UnknownTaskRunException.class)
    ResponseEntity<?> unknownTaskRun(UnknownTaskRunException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage(),
                Map.of("field", "taskRunId", "rule", "exists"));
    }

    @ExceptionHandler(PathConflictException.class)
    ResponseEntity<?> pathConflict(PathConflictException e) {
        return problem(HttpStatus.CONFLICT, e.rule(), "Conflict", e.getMessage(), Map.of("field", e.field(), "rule", e.rule()));
    }

    @ExceptionHandler(PathNotFoundException.class)
    ResponseEntity<?> pathNotFound(PathNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage(),
                Map.of("field", e.field(), "rule", "exists"));
    }

    @ExceptionHandler(UploadTooLargeException.class)
    ResponseEntity<?> uploadTooLarge(UploadTooLargeException e) {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "Payload too large", e.getMessage(),
                Map.of("field", e.field(), "rule", e.rule()));
    }

    @ExceptionHandler(FormReader.FormSpoolException.class)
    ResponseEntity<?> formNotKept(FormReader.FormSpoolException e) {
        log.warn("form refused: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                e.getMessage() + "; nothing was written, retry later", Map.of());
    }

    @ExceptionHandler(BlobStoreUnavailableException.class)
    ResponseEntity<?> blobStoreUnavailable(BlobStoreUnavailableException e) {
        log.warn("request refused, the blob store is unavailable: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                "the file store is unavailable; nothing was written, retry later", Map.of());
    }

    @ExceptionHandler(CommitOutcomeUnknownException.class)
    ResponseEntity<?> commitOutcomeUnknown(CommitOutcomeUnknownException e) {
        log.warn("command outcome unknown: {}", e.getMessage(), e.getCause());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "outcome-unknown", "Service unavailable", e.getMessage(), Map.of());
    }

    @ExceptionHandler(AppendTooLateException.class)
    ResponseEntity<?> appendTooLate(AppendTooLateException e) {
        log.warn("write refused at its commit: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", e.getMessage(), Map.of());
    }

    @ExceptionHandler(LockAcquisitionFailedException.class)
    ResponseEntity<?> aggregateBusy(LockAcquisitionFailedException e) {
        log.warn("command refused, its aggregate stayed locked (osprey.command.lock-timeout): {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Service busy", "another command on the same execution "
                + "or namespace has held it for osprey.command.lock-timeout (the database may be slow to answer); "
                + "nothing was written, retry later", Map.of());
    }

    @ExceptionHandler(ServiceBusyException.class)
    ResponseEntity<?> busy(ServiceBusyException e) {
        log.warn("request refused: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Service busy", e.getMessage(), Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<?> unexpected(Exception e) {
        if (Problems.outOfMemory(e)) {
            // the unit of work rolled back unless the failure came after its commit: a log batch retried with its
            // Idempotency-Key then replays the first reply
            log.error("command refused, the node ran out of memory: {}", e.toString());
            return Problems.outOfMemoryProblem();
        }
        if (DatabaseFailures.isPoolExhausted(e)) {
            log.warn("command refused, every database connection of this node stayed in use: {}", e.toString());
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Service busy", "every one of this node's database "
                    + "connections stayed in use while the command waited for one; nothing was written, retry later",
                    Map.of());
        }
        if (databaseFailures.isDatabaseDown(e)) {
            log.warn("command refused, the database is unavailable: {}", e.toString());
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                    "the event store is unavailable; nothing was written, retry later", Map.of());
        }
        log.error("command failed unexpectedly", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "an unexpected error occurred", Map.of());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        // a JSON body read past its limit (JsonBodyLimit)
        ResponseEntity<?> reply = e.getMostSpecificCause() instanceof BoundedInput.LimitExceededException overLimit
                ? uploadTooLarge(new UploadTooLargeException("body", "the JSON " + overLimit.getMessage()))
                : invalid(List.of(UnreadableBody.describe(e, bodyName(request))));
        return new ResponseEntity<>(reply.getBody(), reply.getHeaders(), reply.getStatusCode());
    }

    /** The name of the handler's body parameter when the body is itself a list or map of values (labels, variables). */
    private static String bodyName(WebRequest request) {
        if (request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
                instanceof HandlerMethod handler) {
            for (MethodParameter parameter : handler.getMethodParameters()) {
                Class<?> type = parameter.getParameterType();
                if (parameter.hasParameterAnnotation(RequestBody.class)
                        && (Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type))) {
                    return parameter.getParameterName();
                }
            }
        }
        return null;
    }
}
