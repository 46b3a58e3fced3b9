package io.osprey.query.blob;

import com.fasterxml.jackson.databind.node.TextNode;
import io.osprey.blob.BlobInfo;
import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobUri;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.ExecutionOutputsRecorded;
import io.osprey.events.execution.ExecutionVariablesSet;
import io.osprey.events.execution.FileReference;
import io.osprey.events.namespace.NamespaceFileDeleted;
import io.osprey.events.namespace.NamespaceFileWritten;
import io.osprey.events.store.EventStorePositions;
import io.osprey.query.QuerySide;
import io.osprey.query.projection.ProjectionCommits;
import io.osprey.query.projection.ProjectionPositions;
import io.osprey.testsupport.HttpJson.Reply;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The blob references projection and the sweep of unreferenced blobs, against PostgreSQL and a local blob store,
 * with the event store written directly the way command-side writes it. Sweeps are called directly (the
 * schedule is off); a blob is made "old" by moving its file's modification time back.
 */
class BlobSweeperTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration GRACE = Duration.ofHours(1);

    @TempDir
    static Path blobRoot;
    private static QuerySide querySide;
    private static final Map<String, Long> nextSequence = new HashMap<>();

    @BeforeAll
    static void start() {
        querySide = QuerySide.start("--osprey.blob.local.root=" + blobRoot, "--osprey.blob.sweep.enabled=false",
                "--osprey.blob.sweep.grace-period=" + GRACE, "--osprey.blob.sweep.page-size=2",
                // the tests of a processor stopped behind the head skip after this wait
                "--osprey.blob.sweep.catch-up-wait=1s");
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void aBlobThatAnEventPointsAtSurvivesASweepWithNoGracePeriod() {
        BlobUri blob = blob("main", "kept", Duration.ofHours(2));
        append("kept", written("kept", "/a.txt", 1, blob));
        awaitProjected();
        assertThat(querySide.bean(BlobReferences.class).contains(blob.toString()))
                .as("the handler on the ReferencesBlobs interface receives NamespaceFileWritten").isTrue();

        BlobSweepResult result = sweeper().sweep(Duration.ZERO);

        assertThat(result.status()).isEqualTo(BlobSweepResult.Status.COMPLETED);
        assertThat(result.referenced()).isPositive();
        assertThat(exists(blob)).isTrue();
    }

    @Test
    void aPutCutOffLongerAgoThanTheGracePeriodIsRemovedAndARecentOneIsKept() throws IOException {
        Path folder = Files.createDirectories(blobRoot.resolve("main/unfinished/_files"));
        Path old = Files.write(folder.resolve("cut+tmp-" + UUID.randomUUID()), new byte[]{1});
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(GRACE).minusSeconds(300)));
        Path recent = Files.write(folder.resolve("writing+tmp-" + UUID.randomUUID()), new byte[]{1});

        BlobSweepResult result = sweeper().sweep();

        assertThat(result.status()).isEqualTo(BlobSweepResult.Status.COMPLETED);
        assertThat(result.unfinished()).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
    }

    @Test
    void anUnreferencedBlobOlderThanTheGracePeriodIsDeletedAndAYoungerOneIsKept() {
        BlobUri old = blob("main", "orphans", GRACE.plusMinutes(5));
        BlobUri young = blob("main", "orphans", Duration.ZERO);
        append("orphans", written("orphans", "/other.txt", 1, blob("main", "orphans", Duration.ZERO)));
        awaitProjected();

        BlobSweepResult result = sweeper().sweep();

        assertThat(result.status()).isEqualTo(BlobSweepResult.Status.COMPLETED);
        assertThat(exists(old)).isFalse();
        assertThat(exists(young)).isTrue();
        assertThat(result.deleted()).isPositive();
        assertThat(result.young()).isPositive();
        Reply last = querySide.http().get("/api/v1/blobs/sweeps/last");
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.json().get("status").asText()).isEqualTo("COMPLETED");
        assertThat(last.json().get("deleted").asLong()).isEqualTo(result.deleted());
    }

    @Test
    void otherTenantsThatEventsPointIntoAreSweptToo() {
        BlobUri referenced = blob("acme", "team", GRACE.plusMinutes(5));
        BlobUri orphan = blob("acme", "team", GRACE.plusMinutes(5));
        append("acme", "team", new NamespaceFileWritten("acme", "team", "/f.txt", 1, 1, "0".repeat(64), referenced.toString(), T0));
        awaitProjected();

        sweeper().sweep();

        assertThat(exists(referenced)).isTrue();
        assertThat(exists(orphan)).isFalse();
    }

    @Test
    void aBlobOfADeletedFileSurvives() {
        BlobUri blob = blob("main", "deleted", GRACE.plusMinutes(5));
        append("deleted", written("deleted", "/gone.txt", 1, blob));
        append("deleted", new NamespaceFileDeleted("main", "deleted", "/gone.txt", false, T0.plusSeconds(1)));
        awaitProjected();

        BlobSweepResult result = sweeper().sweep(Duration.ZERO);

        assertThat(result.status()).isEqualTo(BlobSweepResult.Status.COMPLETED);
        assertThat(exists(blob)).isTrue();
    }

    @Test
    void blobsOfExecutionOutputsAndVariablesSurviveAndAnOrphanBesideThemDoesNot() {
        BlobUri replaced = oldValue(BlobPaths.executionOutput("main", "company.team", "hello", "swept", "f1"), "big");
        BlobUri output = oldValue(BlobPaths.executionOutput("main", "company.team", "hello", "swept", "f2"), "big");
        BlobUri variable = oldValue(BlobPaths.executionVariable("main", "company.team", "hello", "swept", "f3"), "large");
        // as left by a command that crashed between storing its blob and writing its event
        BlobUri orphan = oldValue(BlobPaths.executionOutput("main", "company.team", "hello", "swept", "f4"), "big");
        appendTo("ExecutionAggregate", "main/executions/swept",
                new ExecutionCreated("main", "swept", "company.team", "hello", 1, List.of(), Map.of(), null, null, T0),
                new ExecutionOutputsRecorded("main", "swept", Map.of("big", TextNode.valueOf(replaced.toString())),
                        List.of(reference("big", replaced)), T0),
                new ExecutionVariablesSet("main", "swept", Map.of("large", TextNode.valueOf(variable.toString())),
                        List.of(reference("large", variable)), T0),
                new ExecutionOutputsRecorded("main", "swept", Map.of("big", TextNode.valueOf(output.toString())),
                        List.of(reference("big", output)), T0));
        awaitProjected();

        BlobSweepResult result = sweeper().sweep();

        assertThat(result.status()).isEqualTo(BlobSweepResult.Status.COMPLETED);
        assertThat(exists(output)).isTrue();
        assertThat(exists(variable)).isTrue();
        assertThat(exists(replaced)).as("earlier outputs stay for audit and replay").isTrue();
        assertThat(exists(orphan)).isFalse();
    }

    @Test
    void whileTheProcessorLagsBehindTheHeadNothingIsDeleted() {
        BlobUri pointedAt = blob("main", "lagging", GRACE.plusMinutes(5));
        BlobUri orphan = blob("main", "lagging", GRACE.plusMinutes(5));
        awaitProjected();
        TrackingEventProcessor processor = processor();
        processor.shutDown();
        try {
            append("lagging", written("lagging", "/late.txt", 1, pointedAt));

            BlobSweepResult result = sweeper().sweep(Duration.ZERO);

            assertThat(result.status()).isEqualTo(BlobSweepResult.Status.SKIPPED);
            assertThat(result.reason()).contains("behind the event store head");
            assertThat(result.deleted()).isZero();
            assertThat(exists(pointedAt)).isTrue();
            assertThat(exists(orphan)).isTrue();
        } finally {
            processor.start();
        }
        awaitProjected();

        BlobSweepResult result = sweeper().sweep();

        assertThat(result.status()).isEqualTo(BlobSweepResult.Status.COMPLETED);
        assertThat(exists(pointedAt)).isTrue();
        assertThat(exists(orphan)).isFalse();
    }

    /** Under steady writes the processor is always a moment behind the head: a sweep waits for it, not skips. */
    @Test
    void aSweepWaitsForTheProcessorToReachTheHeadItRead() throws Exception {
        BlobUri pointedAt = blob("main", "catching-up", GRACE.plusMinutes(5));
        BlobUri orphan = blob("main", "catching-up", GRACE.plusMinutes(5));
        awaitProjected();
        CountDownLatch lagSeen = new CountDownLatch(1);
        BlobReferenceCatchUp watched = new BlobReferenceCatchUp(querySide.jdbc(),
                querySide.bean(org.axonframework.config.Configuration.class).serializer()) {
            @Override
            Optional<String> lagBehind(long head) {
                Optional<String> lag = super.lagBehind(head);
                if (lag.isPresent()) {
                    lagSeen.countDown();
                }
                return lag;
            }
        };
        BlobSweeper waiting = new BlobSweeper(querySide.bean(BlobStore.class), querySide.bean(BlobReferences.class),
                watched, querySide.bean(EventStorePositions.class),
                new BlobSweepProperties(false, null, GRACE, 2, null, Duration.ofSeconds(60)),
                querySide.bean(ProjectionCommits.class));
        TrackingEventProcessor processor = processor();
        processor.shutDown();
        CompletableFuture<BlobSweepResult> sweep;
        try {
            append("catching-up", written("catching-up", "/late.txt", 1, pointedAt));
            sweep = CompletableFuture.supplyAsync(waiting::sweep);
            assertThat(lagSeen.await(30, TimeUnit.SECONDS)).as("the sweep saw the processor behind").isTrue();
        } finally {
            processor.start();
        }

        BlobSweepResult result = sweep.get(60, TimeUnit.SECONDS);

        assertThat(result.status()).as(result.reason()).isEqualTo(BlobSweepResult.Status.COMPLETED);
        assertThat(exists(pointedAt)).isTrue();
        assertThat(exists(orphan)).isFalse();
    }

    @Test
    void anEventCommittedAtAPositionTheProcessorSkippedAsAGapBlocksTheSweep() {
        BlobUri pointedAt = blob("main", "gap", GRACE.plusMinutes(5));
        BlobUri orphan = blob("main", "gap", GRACE.plusMinutes(5));
        awaitProjected();
        TrackingEventProcessor processor = processor();
        processor.shutDown();
        try {
            append("gap", written("gap", "/late.txt", 1, pointedAt));
            long late = querySide.head();
            append("gap", new NamespaceFileDeleted("main", "gap", "/other.txt", false, T0));
            long head = querySide.head();
            // as if the event at "late" had committed after the processor read past it
            querySide.bean(TransactionTemplate.class).executeWithoutResult(status -> querySide.bean(TokenStore.class)
                    .storeToken(GapAwareTrackingToken.newInstance(head, Set.of(late)), BlobReferenceProjection.PROCESSOR, 0));
            assertThat(querySide.bean(ProjectionPositions.class).progress(BlobReferenceProjection.PROCESSOR).covers(head)).isTrue();

            BlobSweepResult result = sweeper().sweep(Duration.ZERO);

            assertThat(result.status()).isEqualTo(BlobSweepResult.Status.SKIPPED);
            assertThat(result.reason()).contains("positions it skipped");
            assertThat(exists(pointedAt)).isTrue();
            assertThat(exists(orphan)).isTrue();
        } finally {
            processor.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> querySide.bean(BlobReferences.class).contains(pointedAt.toString()));

        BlobSweepResult result = sweeper().sweep();

        assertThat(result.status()).isEqualTo(BlobSweepResult.Status.COMPLETED);
        assertThat(exists(pointedAt)).isTrue();
        assertThat(exists(orphan)).isFalse();
    }

    @Test
    void aTokenResetRebuildsTheSameReferences() {
        BlobUri blob = blob("main", "rebuilt", Duration.ZERO);
        append("rebuilt", written("rebuilt", "/r.txt", 1, blob), written("rebuilt", "/r.txt", 2, blob));
        awaitProjected();
        List<String> before = querySide.jdbc().queryForList("SELECT uri FROM blob_references ORDER BY uri", String.class);

        TrackingEventProcessor processor = processor();
        processor.shutDown();
        processor.resetTokens();
        assertThat(querySide.jdbc().queryForObject("SELECT COUNT(*) FROM blob_references", Long.class)).isZero();
        processor.start();
        awaitProjected();

        assertThat(querySide.jdbc().queryForList("SELECT uri FROM blob_references ORDER BY uri", String.class))
                .isEqualTo(before).contains(blob.toString());
    }

    private static BlobSweeper sweeper() {
        return querySide.bean(BlobSweeper.class);
    }

    private static TrackingEventProcessor processor() {
        return querySide.bean(EventProcessingConfiguration.class)
                .eventProcessor(BlobReferenceProjection.PROCESSOR, TrackingEventProcessor.class).orElseThrow();
    }

    private static void awaitProjected() {
        long head = querySide.head();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> querySide.bean(ProjectionPositions.class).progress(BlobReferenceProjection.PROCESSOR).covers(head));
    }

    private static BlobUri blob(String tenant, String namespace, Duration age) {
        return blob(BlobPaths.namespaceFile(tenant, namespace, UUID.randomUUID().toString()), age);
    }

    /** Stores a blob, as command-side does before writing its event, last modified {@code age} ago. */
    private static BlobUri blob(BlobUri uri, Duration age) {
        try {
            BlobInfo info = querySide.bean(BlobStore.class).put(uri,
                    new ByteArrayInputStream("bytes".getBytes(StandardCharsets.UTF_8)));
            if (!age.isZero()) {
                Path file = blobRoot.resolve(info.uri().key() + "+blob");
                assertThat(file).as("the local store's file of " + info.uri()).exists();
                Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
            }
            return info.uri();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value too large to stay inline, stored below a request's folder as command-side does, older than the grace period. */
    private static BlobUri oldValue(BlobUri folder, String name) {
        List<String> path = new ArrayList<>(folder.segments());
        path.addAll(List.of(name, "value.json"));
        return blob(BlobUri.of(folder.tenant(), folder.namespace(), path.toArray(String[]::new)), GRACE.plusMinutes(5));
    }

    private static FileReference reference(String name, BlobUri blob) {
        return new FileReference(name, blob.toString(), 5, "0".repeat(64));
    }

    private static boolean exists(BlobUri uri) {
        return querySide.bean(BlobStore.class).exists(uri);
    }

    private static NamespaceFileWritten written(String namespace, String path, int revision, BlobUri blob) {
        return new NamespaceFileWritten("main", namespace, path, revision, 5, "0".repeat(64), blob.toString(), T0);
    }

    private static void append(String namespace, Object... payloads) {
        append("main", namespace, payloads);
    }

    /** Appends events to the namespace's file stream in one transaction. */
    private static void append(String tenant, String namespace, Object... payloads) {
        appendTo("NamespaceFilesAggregate", tenant + "/namespaces/" + namespace + "/files", payloads);
    }

    private static void appendTo(String aggregateType, String aggregateId, Object... payloads) {
        List<DomainEventMessage<?>> messages = new ArrayList<>();
        for (Object payload : payloads) {
            long sequence = nextSequence.merge(aggregateId, 1L, Long::sum) - 1;
            messages.add(new GenericDomainEventMessage<>(aggregateType, aggregateId, sequence, payload));
        }
        querySide.bean(TransactionTemplate.class).executeWithoutResult(status -> querySide.bean(EventStore.class).publish(messages));
        assertThat(querySide.bean(EventStorePositions.class).positionOf(aggregateId, nextSequence.get(aggregateId) - 1))
                .isNotNegative();
    }
}
