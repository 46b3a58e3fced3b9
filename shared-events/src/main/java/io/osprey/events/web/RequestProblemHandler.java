package io.osprey.events.web;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Problems for the requests that fail in Spring MVC itself: before any Osprey controller takes them (no such path
 * 404, a method or a content type the path does not take 405 and 415, an answer the client does not accept 406),
 * or in reading a body sent as multipart that is not one. Registered for every request, last; each side's own
 * handler extends it for its controllers. Without it, Spring Boot would answer the first kind with its plain JSON
 * error page instead of {@code application/problem+json}. Each problem gets an Osprey type and, where the request
 * has one, the field at fault and the rule it breaks.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class RequestProblemHandler extends ResponseEntityExceptionHandler {

    /** Said with a 404 or 405: which requests this node serves ({@code osprey.web.not-found-hint}); may be null. */
    private final String notFoundHint;

    public RequestProblemHandler() {
        this(null);
    }

    public RequestProblemHandler(String notFoundHint) {
        this.notFoundHint = notFoundHint == null || notFoundHint.isBlank() ? null : notFoundHint.strip();
    }

    @ExceptionHandler(CrossOriginWriteException.class)
    protected ResponseEntity<ProblemDetail> crossOriginWrite(CrossOriginWriteException e) {
        return Problems.problem(HttpStatus.FORBIDDEN, "invalid-request", "Forbidden", e.getMessage(),
                Map.of("field", HttpHeaders.ORIGIN, "rule", "same-origin"));
    }

    @ExceptionHandler(BrowserHosts.BrowserHostException.class)
    protected ResponseEntity<ProblemDetail> browserHost(BrowserHosts.BrowserHostException e) {
        return Problems.problem(HttpStatus.FORBIDDEN, "invalid-request", "Forbidden", e.getMessage(),
                Map.of("field", HttpHeaders.HOST, "rule", "allowed-host"));
    }

    @ExceptionHandler(UnsupportedContentEncodingException.class)
    protected ResponseEntity<ProblemDetail> unsupportedEncoding(UnsupportedContentEncodingException e) {
        return Problems.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "invalid-request", "Unsupported Media Type",
                e.getMessage(), Map.of("field", HttpHeaders.CONTENT_ENCODING, "rule", "supported-encodings"));
    }

    @ExceptionHandler(MultipartException.class)
    protected ResponseEntity<ProblemDetail> unreadableMultipart(MultipartException e) {
        return Problems.unreadableMultipart(e);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        ResponseEntity<ProblemDetail> reply = Problems.unreadableMultipart(e);
        return new ResponseEntity<>(reply.getBody(), reply.getHeaders(), reply.getStatusCode());
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> reply = super.handleExceptionInternal(e, body, headers, status, request);
        if (reply != null && reply.getBody() instanceof ProblemDetail problem) {
            problem.setType(URI.create("urn:osprey:problem:" + type(reply.getStatusCode())));
            if (e instanceof NoResourceFoundException missing) {
                // Spring says "No static resource", which sends a reader looking for files
                problem.setDetail("No endpoint answers " + missing.getHttpMethod() + " /" + missing.getResourcePath());
            }
            if (e instanceof HttpMediaTypeNotSupportedException && request.getHeader(HttpHeaders.CONTENT_TYPE) != null
                    && String.valueOf(problem.getDetail()).startsWith("Could not parse")) {
                // Spring's words for a type with a wildcard, which names no type a body can have
                problem.setDetail("the Content-Type '" + request.getHeader(HttpHeaders.CONTENT_TYPE) + "' names no single"
                        + " media type: a body's type has no wildcard");
            }
            if (notFoundHint != null && (e instanceof NoResourceFoundException
                    || e instanceof HttpRequestMethodNotSupportedException)) {
                problem.setDetail(problem.getDetail() + ": " + notFoundHint);
            }
            FieldRule broken = brokenRule(e);
            if (broken != null) {
                problem.setProperty("field", broken.field());
                problem.setProperty("rule", broken.rule());
            }
            // typed here, not negotiated: an Accept the problem cannot meet (the 406's own) left it without a body
            HttpHeaders typed = new HttpHeaders();
            typed.putAll(reply.getHeaders());
            typed.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            if (e instanceof HttpRequestMethodNotSupportedException notAllowed && notAllowed.getSupportedHttpMethods() != null) {
                typed.setAllow(allowed(notAllowed.getSupportedHttpMethods()));
            }
            return new ResponseEntity<>(problem, typed, reply.getStatusCode());
        }
        return reply;
    }

    /** Every method the path takes: Spring names the mapped ones, and answers HEAD where GET is, and OPTIONS anywhere. */
    private static Set<HttpMethod> allowed(Set<HttpMethod> mapped) {
        Set<HttpMethod> allowed = new LinkedHashSet<>(mapped);
        if (allowed.contains(HttpMethod.GET)) {
            allowed.add(HttpMethod.HEAD);
        }
        allowed.add(HttpMethod.OPTIONS);
        return allowed;
    }

    private static String type(HttpStatusCode status) {
        if (status.value() == HttpStatus.BAD_REQUEST.value()) {
            return "invalid-input";
        }
        if (status.value() == HttpStatus.NOT_FOUND.value()) {
            return "not-found";
        }
        if (status.value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            return "unavailable";
        }
        return status.is4xxClientError() ? "invalid-request" : "internal";
    }

    private record FieldRule(String field, String rule) {
    }

    /** The part of the request at fault and the rule it breaks, for the errors that have one. */
    private static FieldRule brokenRule(Exception e) {
        if (e instanceof HttpRequestMethodNotSupportedException) {
            return new FieldRule("method", "allowed-methods");
        }
        if (e instanceof HttpMediaTypeNotSupportedException) {
            return new FieldRule(HttpHeaders.CONTENT_TYPE, "supported-media-types");
        }
        if (e instanceof HttpMediaTypeNotAcceptableException) {
            return new FieldRule(HttpHeaders.ACCEPT, "producible-media-types");
        }
        if (e instanceof NoResourceFoundException) {
            return new FieldRule("path", "exists");
        }
        if (e instanceof MissingServletRequestParameterException missing) {
            return new FieldRule(missing.getParameterName(), "required");
        }
        if (e instanceof MissingRequestHeaderException missing) {
            return new FieldRule(missing.getHeaderName(), "required");
        }
        if (e instanceof MissingServletRequestPartException missing) {
            return new FieldRule(missing.getRequestPartName(), "required");
        }
        if (e instanceof TypeMismatchException mismatch && mismatch.getPropertyName() != null) {
            return new FieldRule(mismatch.getPropertyName(), "type");
        }
        return null;
    }
}
