package io.osprey.events.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.Map;

/**
 * Answers the servlet container's error dispatches (an error status set outside any controller, like the 408 of a
 * body that stopped arriving) as problems, in place of Spring Boot's plain JSON error page.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request, HttpServletResponse response)
            throws NoResourceFoundException {
        if (response.isCommitted()) {
            // a failure after a reply began (Tomcat includes this page, then closes the connection): a problem
            // appended to the reply would pass for the rest of its data
            return null;
        }
        if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status)) {
            // a client asking for the error path itself, not the container's error dispatch: nothing is served there
            throw new NoResourceFoundException(HttpMethod.valueOf(request.getMethod()), request.getRequestURI());
        }
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        Map<String, Object> problem = Problems.ofStatus(status, message == null ? null : message.toString());
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (path != null) {
            problem.put("instance", path.toString());
        }
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            reply.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return reply.body(problem);
    }
}
