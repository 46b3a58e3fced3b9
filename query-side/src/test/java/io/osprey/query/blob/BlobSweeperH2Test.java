package io.osprey.query.blob;

import io.osprey.blob.BlobInfo;
import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStore;
import io.osprey.events.namespace.NamespaceFileWritten;
import io.osprey.query.QuerySide;
import io.osprey.query.projection.ProjectionPositions;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The blob references table and the sweep on H2, the embedded default: its own script and the same SQL. */
class BlobSweeperH2Test {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    static Path dataDirectory;
    private static QuerySide querySide;

    @BeforeAll
    static void start() {
        querySide = QuerySide.start(new String[]{
                "--spring.datasource.url=jdbc:h2:file:" + dataDirectory.resolve("osprey") + ";AUTO_SERVER=FALSE",
                "--spring.datasource.username=sa", "--spring.datasource.password="}, () -> { }, new Class<?>[0],
                "--osprey.blob.local.root=" + dataDirectory.resolve("blobs"), "--osprey.blob.sweep.enabled=false");
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void aBlobPointedAtTwiceIsRecordedOnceAndSurvives() throws Exception {
        BlobInfo blob = querySide.bean(BlobStore.class).put(BlobPaths.namespaceFile("main", "h2", "f.txt"),
                new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)));
        String aggregateId = "main/namespaces/h2/files";
        querySide.bean(TransactionTemplate.class).executeWithoutResult(status -> querySide.bean(EventStore.class).publish(List.of(
                new GenericDomainEventMessage<>("NamespaceFilesAggregate", aggregateId, 0,
                        new NamespaceFileWritten("main", "h2", "/f.txt", 1, 1, "0".repeat(64), blob.uri().toString(), T0)),
                new GenericDomainEventMessage<>("NamespaceFilesAggregate", aggregateId, 1,
                        new NamespaceFileWritten("main", "h2", "/g.txt", 1, 1, "0".repeat(64), blob.uri().toString(), T0)))));
        long head = querySide.head();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> querySide.bean(ProjectionPositions.class).progress(BlobReferenceProjection.PROCESSOR).covers(head));

        BlobSweepResult result = querySide.bean(BlobSweeper.class).sweep(Duration.ZERO);

        assertThat(querySide.jdbc().queryForObject("SELECT COUNT(*) FROM blob_references", Long.class)).isEqualTo(1);
        assertThat(result.status()).isEqualTo(BlobSweepResult.Status.COMPLETED);
        assertThat(result.referenced()).isEqualTo(1);
        assertThat(querySide.bean(BlobStore.class).exists(blob.uri())).isTrue();
    }
}
