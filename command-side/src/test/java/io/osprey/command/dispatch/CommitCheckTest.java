package io.osprey.command.dispatch;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommitCheckTest {

    private static final RuntimeException COMMIT_FAILED = new DataAccessResourceFailureException("JDBC commit failed");

    /** Throws as a database that is away does, the given number of times, then answers. */
    private static LongSupplier awayFor(int failures, long answer) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            if (calls.getAndIncrement() < failures) {
                throw new DataAccessResourceFailureException("Connection refused");
            }
            return answer;
        };
    }

    @Test
    void eventsFoundWhereTheyWereAppendedWereCommitted() {
        assertThat(CommitCheck.committed(awayFor(0, 42), 42, "the command", COMMIT_FAILED)).isTrue();
        assertThat(CommitCheck.committed(awayFor(3, 42), 42, "the command", COMMIT_FAILED)).isTrue();
    }

    @Test
    void eventsNotFoundWereNotCommitted() {
        assertThat(CommitCheck.committed(awayFor(2, -1), 42, "the command", COMMIT_FAILED)).isFalse();
    }

    @Test
    void aDatabaseThatDoesNotAnswerLeavesTheOutcomeUnknown() {
        assertThatThrownBy(() -> CommitCheck.committed(awayFor(Integer.MAX_VALUE, 42), 42, "the command on x",
                COMMIT_FAILED, Duration.ofMillis(300)))
                .isInstanceOf(CommitOutcomeUnknownException.class)
                .hasMessageContaining("the command on x")
                .hasCause(COMMIT_FAILED);
    }
}
