package io.osprey.events.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * A write a browser sends from a page of another origin is refused (403): a form post needs no preflight, so any page
 * a browser on the network opened could create executions and upload files. Requests without {@code Origin} (every
 * client but a browser) and reads pass. The origin is compared with the {@code Host} the request was sent to.
 */
final class SameOriginWrites implements HandlerInterceptor {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || READS.contains(request.getMethod()) || sameOrigin(origin, request.getHeader(HttpHeaders.HOST))) {
            return true;
        }
        throw new CrossOriginWriteException(origin);
    }

    /** Whether the origin names the host and port the request went to (behind a proxy, the scheme may differ). */
    static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        URI uri;
        try {
            uri = URI.create(origin.trim());
        } catch (IllegalArgumentException e) {
            return false; // "null" from a sandboxed page, or no URI at all
        }
        if (uri.getHost() == null) {
            return false;
        }
        String requestHost = host.trim().toLowerCase(Locale.ROOT);
        int colon = requestHost.lastIndexOf(':');
        boolean hostHasPort = colon > requestHost.lastIndexOf(']');
        String hostName = hostHasPort ? requestHost.substring(0, colon) : requestHost;
        if (!hostName.equals(uri.getHost().toLowerCase(Locale.ROOT))) {
            return false;
        }
        int originPort = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        if (!hostHasPort) {
            return originPort == 80 || originPort == 443; // a Host without a port was sent to its scheme's default one
        }
        return requestHost.substring(colon + 1).equals(Integer.toString(originPort));
    }
}
