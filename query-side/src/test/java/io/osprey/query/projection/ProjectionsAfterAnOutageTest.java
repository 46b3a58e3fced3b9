package io.osprey.query.projection;

import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.store.DatabaseFailures;
import io.osprey.query.QuerySide;
import io.osprey.query.execution.ExecutionProjection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** After a long outage, the read models catch up within seconds of the database answering, not after Axon's next pause. */
@ExtendWith(OutputCaptureExtension.class)
class ProjectionsAfterAnOutageTest {

    private QuerySide querySide;

    @BeforeEach
    void start() throws Exception {
        querySide = QuerySide.startBehindAProxy("--spring.datasource.hikari.connection-timeout=1000");
    }

    @AfterEach
    void stop() throws Exception {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void projectionsCatchUpSoonAfterTheDatabaseReturns(CapturedOutput output) {
        querySide.awaitProjected();
        querySide.databaseLink().cut();
        try {
            // Axon doubles the executions processor's pause at each failure (of a worker or of its launcher): from
            // here on it would wait 8 s or more
            await().atMost(Duration.ofSeconds(60)).until(() -> output.getOut().lines()
                    .anyMatch(line -> line.contains("executions") && line.matches(".*retry in (8|16|32|60)s.*")));
        } finally {
            querySide.databaseLink().restore();
        }
        // the pool may still be failing an attempt it made before
        await().atMost(Duration.ofSeconds(5)).until(() -> querySide.bean(DatabaseFailures.class).databaseAnswers());
        long position = querySide.append("main", "after-outage", new ExecutionCreated("main", "after-outage",
                "company.team", "f", 1, List.of(), Map.of(), null, null, Instant.now()));

        await().atMost(Duration.ofSeconds(6)).until(() -> querySide.bean(ProjectionPositions.class)
                .progress(ExecutionProjection.PROCESSOR).covers(position));
        assertThat(querySide.processor()).isInstanceOf(TrackingProjections.ShortPauses.class);
    }
}
