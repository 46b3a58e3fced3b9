package io.osprey.query.web;

import io.osprey.events.store.DatabaseFailures;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletResponse;

import java.io.EOFException;
import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A failure once a streamed reply has begun cannot become a problem: it must reach the container, which cuts the reply. */
class QueryProblemHandlerTest {

    private final QueryProblemHandler handler = new QueryProblemHandler(new DatabaseFailures(null));

    @Test
    void aFailureBeforeTheReplyBeganIsA500Problem() throws Exception {
        ResponseEntity<ProblemDetail> reply = handler.unexpected(new IllegalStateException("bug"), new MockHttpServletResponse());

        assertThat(reply.getStatusCode().value()).isEqualTo(500);
        assertThat(reply.getBody().getType().toString()).isEqualTo("urn:osprey:problem:internal");
    }

    @Test
    void aFailureAfterTheReplyBeganIsThrownOnRatherThanWrittenAfterTheData() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setCommitted(true);
        IOException failure = new IOException("the index could not be read");

        assertThatThrownBy(() -> handler.unexpected(failure, response)).isSameAs(failure);
    }

    @Test
    void aClientThatLeftIsThrownOnToo() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setCommitted(true);
        EOFException clientLeft = new EOFException("client left");

        assertThatThrownBy(() -> handler.unexpected(clientLeft, response)).isSameAs(clientLeft);
    }

    @Test
    void aDatabaseThatWentAwayBeforeTheReplyIsA503EvenThoughItsCauseIsAnEndOfFile() throws Exception {
        SQLException lost = new SQLException("An I/O error occurred while sending to the backend", "08006",
                new EOFException());

        ResponseEntity<ProblemDetail> reply = handler.unexpected(lost, new MockHttpServletResponse());

        assertThat(reply.getStatusCode().value()).isEqualTo(503);
    }
}
