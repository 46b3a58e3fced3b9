package io.osprey.command.web;

import io.osprey.command.dispatch.RequestMetadata;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.security.Principal;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives controllers the request's {@link RequestMetadata}: the authenticated principal (anonymous until
 * IAM lands), the client's {@code X-Request-Id} and {@code X-Correlation-Id} when well-formed, fresh ids otherwise.
 */
class RequestMetadataResolver implements HandlerMethodArgumentResolver {

    static final String REQUEST_ID = "X-Request-Id";
    static final String CORRELATION_ID = "X-Correlation-Id";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == RequestMetadata.class;
    }

    @Override
    public RequestMetadata resolveArgument(MethodParameter parameter, ModelAndViewContainer mav,
                                           NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        Principal principal = request == null ? null : request.getUserPrincipal();
        String requestId = safeOr(webRequest.getHeader(REQUEST_ID), UUID.randomUUID().toString());
        String correlationId = safeOr(webRequest.getHeader(CORRELATION_ID), requestId);
        return new RequestMetadata(principal == null ? "anonymous" : principal.getName(), requestId, correlationId);
    }

    private static String safeOr(String candidate, String fallback) {
        return candidate != null && SAFE_ID.matcher(candidate).matches() ? candidate : fallback;
    }
}
