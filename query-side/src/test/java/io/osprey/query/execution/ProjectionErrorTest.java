package io.osprey.query.execution;

import io.osprey.query.QuerySide;
import io.osprey.query.projection.ProjectionPositions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;

import static io.osprey.query.execution.ExecutionEvents.T0;
import static io.osprey.query.execution.ExecutionEvents.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A projection whose worker met an {@link Error} (an OutOfMemoryError while a large request held the heap) is started
 * again and catches up: Axon's processor, left alone, stays paused in its error state for good.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProjectionErrorTest {

    private static final String TENANT = "main";
    private QuerySide querySide;

    @AfterEach
    void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void aProjectionStoppedByAnErrorIsStartedAgainAndCatchesUp(CapturedOutput output) {
        querySide = QuerySide.start(new Class<?>[]{ErrorInProjection.class});
        ErrorInProjection error = querySide.bean(ErrorInProjection.class);
        error.armFor("hit-1");
        long hit = querySide.append(TENANT, "hit-1", created(TENANT, "hit-1", "errors", "f", T0));
        // the processor thread ends with the Error uncaught: that is the case under test, not a failure of it
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30)).until(() -> error.thrown() > 0);
        error.disarm();
        long after = querySide.append(TENANT, "after-1", created(TENANT, "after-1", "errors", "f", T0));

        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30)).until(() ->
                querySide.bean(ProjectionPositions.class).progress(ExecutionProjection.PROCESSOR).covers(after));
        assertThat(querySide.getAt("/api/v1/main/executions/hit-1", hit).status()).isEqualTo(200);
        assertThat(querySide.getAt("/api/v1/main/executions/after-1", after).status()).isEqualTo(200);
        assertThat(output.getAll()).contains("projection " + ExecutionProjection.PROCESSOR + " was stopped by an error");
    }
}
