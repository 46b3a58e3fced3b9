package io.osprey.events.web;

import io.osprey.events.validation.Violations;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Before a write (any method but GET, HEAD and OPTIONS) runs, nothing it would not read may have been sent: a query
 * parameter it does not take, or a body sent to one that takes its criteria from the query string. Ignored, either
 * would widen what the write does: {@code DELETE .../logs/{id}} with {@code {"taskId":"x"}} as its body deleted every
 * line of the execution, {@code recursive=false} did not stop a directory's deletion. Queries ignore parameters they
 * do not know, as Kestra's do.
 */
final class WriteRequestRules implements HandlerInterceptor {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        // an error dispatch (to /error, after the request failed) keeps the request's method and query string
        if (!(handler instanceof HandlerMethod method) || READS.contains(request.getMethod())
                || request.getDispatcherType() != DispatcherType.REQUEST) {
            return true;
        }
        Violations violations = new Violations();
        Set<String> known = new TreeSet<>();
        ReadsQueryParameters readsItself = method.getMethodAnnotation(ReadsQueryParameters.class);
        if (readsItself != null) {
            known.addAll(List.of(readsItself.value()));
        }
        boolean readsBody = false;
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                known.add(QueryParameterRules.name(parameter, param));
            }
            // a handler given the request reads its body itself (multipart uploads, log batches)
            readsBody |= parameter.hasParameterAnnotation(RequestBody.class)
                    || ServletRequest.class.isAssignableFrom(parameter.getParameterType());
        }
        QueryParameters.parse(request.getQueryString()).names().stream().filter(name -> !known.contains(name)).sorted()
                .forEach(name -> violations.add(name, "unknown-parameter", "unknown query parameter '" + name
                        + "'; this request takes " + (known.isEmpty() ? "none" : known)));
        if (!readsBody && hasBody(request)) {
            violations.add("body", "none", "this request takes no body" + (known.isEmpty() ? ""
                    : ": its criteria are the query parameters " + known));
        }
        violations.throwIfAny();
        return true;
    }

    /** A chunked body may be empty (some clients send no body so): it is looked at, as the handler never reads it. */
    private static boolean hasBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > 0) {
            return true;
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null && request.getInputStream().read() >= 0;
    }
}
