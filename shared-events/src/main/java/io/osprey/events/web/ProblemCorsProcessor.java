package io.osprey.events.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;

import java.io.IOException;
import java.util.Map;

/**
 * Spring's CORS checks, refusing as a problem: Osprey allows no cross-origin request (it configures no CORS), and
 * Spring's refusal of a preflight was a 403 in plain text.
 */
final class ProblemCorsProcessor extends DefaultCorsProcessor {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The path refused, for the problem's instance: Spring hands the refusal the response alone. */
    private static final ThreadLocal<String> PATH = new ThreadLocal<>();

    @Override
    public boolean processRequest(CorsConfiguration config, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        PATH.set(request.getRequestURI());
        try {
            return super.processRequest(config, request, response);
        } finally {
            PATH.remove();
        }
    }

    @Override
    protected void rejectRequest(ServerHttpResponse response) throws IOException {
        Map<String, Object> problem = Problems.ofStatus(HttpStatus.FORBIDDEN.value(), null);
        if (PATH.get() != null) {
            problem.put("instance", PATH.get());
        }
        problem.put("detail", "cross-origin requests are not allowed here: Osprey's API is not served to browsers of other origins");
        problem.put("field", "Origin");
        problem.put("rule", "same-origin");
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getBody().write(JSON.writeValueAsBytes(problem));
        response.flush();
    }
}
