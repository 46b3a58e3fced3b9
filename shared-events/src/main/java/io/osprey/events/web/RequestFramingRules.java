package io.osprey.events.web;

import io.osprey.events.validation.Violations;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Collections;
import java.util.List;

/**
 * Before a controller reads a body: the body's {@code Content-Type} must name one media type (Spring fails on
 * {@code application/*} as it reads the body, a 500), its {@code Content-Encoding} must be none (a gzip body was read
 * as text, a mislabelled one stored), and an HTTP/1.0 request must not be chunked, which HTTP/1.0 does not know
 * (RFC 9112 6.1: its framing is faulty; a proxy in front could read it otherwise, so the connection closes).
 */
final class RequestFramingRules implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotSupportedException {
        if ("HTTP/1.0".equals(request.getProtocol()) && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
            new Violations().add(HttpHeaders.TRANSFER_ENCODING, "http",
                    "an HTTP/1.0 request cannot have a Transfer-Encoding; send a Content-Length").throwIfAny();
        }
        // every line of the header, each a list: "identity" on one and "br" on the next is "identity, br"
        for (String encodings : Collections.list(request.getHeaders(HttpHeaders.CONTENT_ENCODING))) {
            for (String encoding : encodings.split(",", -1)) {
                if (!encoding.trim().equalsIgnoreCase("identity")) {
                    throw new UnsupportedContentEncodingException(encodings);
                }
            }
        }
        String contentType = request.getContentType();
        if (contentType != null) {
            MediaType type;
            try {
                type = MediaType.parseMediaType(contentType);
            } catch (InvalidMediaTypeException e) {
                return true; // Spring refuses it as it would, with a 415
            }
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                throw new HttpMediaTypeNotSupportedException("Content-Type must name one media type, not " + contentType,
                        List.of());
            }
        }
        return true;
    }
}
