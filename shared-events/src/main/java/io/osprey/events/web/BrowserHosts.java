package io.osprey.events.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser's request is served only when the browser reached this node by an IP address, {@code localhost}, or a name
 * in {@code osprey.http.allowed-hosts}. A page of another site whose name is then made to resolve to this node (DNS
 * rebinding) is of the same origin as the node for the browser, so the same-origin rule for writes lets it through,
 * and it could read what it asked for. Browsers tell themselves by {@code Origin} or the {@code Sec-Fetch-*} headers,
 * which they send and a page cannot take away; other clients (servers, curl) reach the node by any name.
 */
final class BrowserHosts implements HandlerInterceptor {

    static final String SETTING = "osprey.http.allowed-hosts";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> allowed;

    BrowserHosts(Collection<String> allowed) {
        this.allowed = allowed.stream().map(String::strip).filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!fromABrowser(request)) {
            return true;
        }
        String host = hostName(request.getHeader(HttpHeaders.HOST));
        if (host == null || allowed(host)) {
            return true; // HTTP/1.1 requires a Host, which Tomcat checks; an HTTP/1.0 request without one names none
        }
        throw new BrowserHostException(host);
    }

    private static boolean fromABrowser(HttpServletRequest request) {
        return request.getHeader(HttpHeaders.ORIGIN) != null || request.getHeader("Sec-Fetch-Site") != null
                || request.getHeader("Sec-Fetch-Mode") != null;
    }

    private boolean allowed(String host) {
        return host.startsWith("[") || IPV4.matcher(host).matches() || host.equals("localhost")
                || host.endsWith(".localhost") || allowed.contains(host);
    }

    /** The Host header's name, lower case, without its port; an IPv6 literal keeps its brackets. */
    static String hostName(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String value = host.strip().toLowerCase(Locale.ROOT);
        int colon = value.lastIndexOf(':');
        String name = colon > value.lastIndexOf(']') ? value.substring(0, colon) : value;
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** A browser reached this node by a name it does not know as its own (403); nothing was read or written. */
    static final class BrowserHostException extends RuntimeException {
        BrowserHostException(String host) {
            super("a browser's request to this node by the name '" + host + "' is refused: a browser may reach it by an"
                    + " IP address, localhost, or a name in " + SETTING + " (a page of another site whose name resolves"
                    + " here must not use it)");
        }
    }
}
