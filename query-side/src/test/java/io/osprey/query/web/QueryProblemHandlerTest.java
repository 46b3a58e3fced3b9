package io.osprey.query.web;

import io.osprey.events.store.DatabaseFailures;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A failure once a streamed reply has begun cannot become a problem: it must reach the container, which cuts the reply. */
class QueryProblemHandlerTest {

    private final QueryProblemHandler handler = new QueryProblemHandler(new DatabaseFailures(null));

    /** A response whose first bytes are out. */
    private static MockHttpServletResponse committed() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setCommitted(true);
        return response;
    }

    @Test
    void aFailureBeforeTheReplyBeganIsA500Problem() throws Exception {
        ResponseEntity<ProblemDetail> reply = handler.unexpected(new IllegalStateException("bug"), new MockHttpServletRequest(),
                new MockHttpServletResponse());

        assertThat(reply.getStatusCode().value()).isEqualTo(500);
        assertThat(reply.getBody().getType().toString()).isEqualTo("urn:osprey:problem:internal");
    }

    @Test
    void aFailureAfterTheReplyBeganIsThrownOnRatherThanWrittenAfterTheData() {
        MockHttpServletResponse response = committed();
        IOException failure = new IOException("the index could not be read");

        assertThatThrownBy(() -> handler.unexpected(failure, new MockHttpServletRequest(), response)).isSameAs(failure);
    }

    @Test
    void aClientThatLeftIsThrownOnToo() {
        MockHttpServletResponse response = committed();
        EOFException clientLeft = new EOFException("client left");

        assertThatThrownBy(() -> handler.unexpected(clientLeft, new MockHttpServletRequest(), response)).isSameAs(clientLeft);
    }

    @Test
    void aConnectionFailureTheContainerReportedToAnAsyncReplyIsThrownOnAsTheClientsAbort() {
        MockHttpServletResponse response = committed();
        SocketTimeoutException writeTimedOut = new SocketTimeoutException();
        MockHttpServletRequest asyncDispatch = new MockHttpServletRequest();
        asyncDispatch.setDispatcherType(DispatcherType.ASYNC);
        asyncDispatch.setAttribute(RequestDispatcher.ERROR_EXCEPTION, writeTimedOut);

        assertThatThrownBy(() -> handler.unexpected(writeTimedOut, asyncDispatch, response))
                .isInstanceOf(ClientAbortException.class).hasCause(writeTimedOut);
        // the same failure raised by the application's own work (say, a store read timing out) is not the client's
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setDispatcherType(DispatcherType.ASYNC);
        assertThatThrownBy(() -> handler.unexpected(writeTimedOut, request, response)).isSameAs(writeTimedOut);
    }

    @Test
    void runningOutOfMemoryBeforeTheReplyIsA503BusyToRetry() throws Exception {
        ServletException outOfMemory = new ServletException("Handler dispatch failed", new OutOfMemoryError("Java heap space"));

        ResponseEntity<ProblemDetail> reply = handler.unexpected(outOfMemory, new MockHttpServletRequest(),
                new MockHttpServletResponse());

        assertThat(reply.getStatusCode().value()).isEqualTo(503);
        assertThat(reply.getBody().getType().toString()).isEqualTo("urn:osprey:problem:busy");
        assertThat(reply.getHeaders().getFirst("Retry-After")).isEqualTo("1");
    }

    @Test
    void aDatabaseThatWentAwayBeforeTheReplyIsA503EvenThoughItsCauseIsAnEndOfFile() throws Exception {
        SQLException lost = new SQLException("An I/O error occurred while sending to the backend", "08006",
                new EOFException());

        ResponseEntity<ProblemDetail> reply = handler.unexpected(lost, new MockHttpServletRequest(),
                new MockHttpServletResponse());

        assertThat(reply.getStatusCode().value()).isEqualTo(503);
    }
}
