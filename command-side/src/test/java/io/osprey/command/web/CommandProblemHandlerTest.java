package io.osprey.command.web;

import io.osprey.events.store.DatabaseFailures;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

class CommandProblemHandlerTest {

    private final CommandProblemHandler handler = new CommandProblemHandler(new DatabaseFailures(null));

    @Test
    void aCommandThatRanTheNodeOutOfMemoryIsA503BusyToRetryNotA500() {
        // as Spring MVC hands it on
        ServletException outOfMemory = new ServletException("Handler dispatch failed", new OutOfMemoryError("Java heap space"));

        ResponseEntity<?> reply = handler.unexpected(outOfMemory);

        assertThat(reply.getStatusCode().value()).isEqualTo(503);
        assertThat(((ProblemDetail) reply.getBody()).getType().toString()).isEqualTo("urn:osprey:problem:busy");
        assertThat(reply.getHeaders().getFirst("Retry-After")).isEqualTo("1");
    }

    @Test
    void anyOtherUnexpectedFailureIsStillA500() {
        ResponseEntity<?> reply = handler.unexpected(new IllegalStateException("a bug"));

        assertThat(reply.getStatusCode().value()).isEqualTo(500);
    }
}
