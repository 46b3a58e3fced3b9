package io.osprey.command.web;

import io.osprey.events.validation.Violations;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.List;

/**
 * A conditional header a command endpoint does not evaluate is a 400 (rule not-supported), not ignored: a client
 * that sends {@code If-None-Match: *} to create only, or {@code If-Match} to a write that takes no version, would
 * believe itself guarded, and one that sends an {@code Idempotency-Key} (which log batches evaluate) would believe its
 * retry safe. An endpoint evaluates the headers it takes as {@code @RequestHeader} parameters.
 */
final class UnsupportedConditions implements HandlerInterceptor {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final List<String> CONDITIONS = List.of(HttpHeaders.IF_MATCH, HttpHeaders.IF_NONE_MATCH,
            HttpHeaders.IF_MODIFIED_SINCE, HttpHeaders.IF_UNMODIFIED_SINCE, IDEMPOTENCY_KEY);

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
            return true;
        }
        Violations violations = new Violations();
        for (String condition : CONDITIONS) {
            if (request.getHeader(condition) != null && !evaluates(method, condition)) {
                violations.add(condition, "not-supported", "this endpoint does not evaluate " + condition
                        + "; send the request without it" + (condition.equals(IDEMPOTENCY_KEY)
                        ? " (an execution created with its own \"id\" is created once however often it is sent)" : ""));
            }
        }
        violations.throwIfAny();
        return true;
    }

    private static boolean evaluates(HandlerMethod method, String header) {
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestHeader taken = parameter.getParameterAnnotation(RequestHeader.class);
            if (taken != null && (header.equalsIgnoreCase(taken.value()) || header.equalsIgnoreCase(taken.name()))) {
                return true;
            }
        }
        return false;
    }
}
