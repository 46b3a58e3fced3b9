package io.osprey.events.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's answer to a request it refuses before any application sees it (a URI it cannot decode, an encoded
 * {@code /} or NUL in the path, headers over the size limit), as {@code application/problem+json} rather than
 * Tomcat's HTML error page. Errors inside the application never reach it: Spring answers those.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as Tomcat's own report: nothing for a success, a body already written or an error already reported
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            String body = JSON.writeValueAsString(problem(status, response.getMessage()));
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was committed meanwhile: nothing left to tell it
        }
    }

    static Map<String, Object> problem(int status, String message) {
        HttpStatus known = HttpStatus.resolve(status);
        boolean clientError = status < 500;
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:osprey:problem:" + (clientError ? "invalid-request" : "internal"));
        problem.put("title", known == null ? "HTTP " + status : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", clientError
                ? "the request cannot be read as HTTP" + (message == null || message.isBlank() ? "" : ": " + message)
                : "an unexpected error occurred");
        if (clientError) {
            problem.put("field", "request");
            problem.put("rule", "http");
        }
        return problem;
    }
}
