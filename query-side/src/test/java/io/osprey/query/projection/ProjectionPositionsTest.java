package io.osprey.query.projection;

import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.store.EventStoreGaps;
import io.osprey.query.QuerySide;
import io.osprey.query.execution.ExecutionProjection;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether a projection covers a position: the rule on tokens, its reading from the token store, and the
 * wait for it. The poll interval is set to an hour, so a wait that ends early was woken by a commit signal.
 */
class ProjectionPositionsTest {

    private static QuerySide querySide;

    @BeforeAll
    static void start() {
        querySide = QuerySide.start("--osprey.query.consistency-poll-interval=1h");
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void aSegmentCoversWhatItReadExceptItsGaps() {
        SegmentPosition segment = SegmentPosition.of(0, GapAwareTrackingToken.newInstance(10, Set.of(7L)));

        assertThat(segment.position()).isEqualTo(10);
        assertThat(segment.covers(3)).as("below, despite the older gap").isTrue();
        assertThat(segment.covers(10)).isTrue();
        assertThat(segment.covers(7)).as("a gap: not seen yet").isFalse();
        assertThat(segment.covers(11)).isFalse();
    }

    @Test
    void aReplayingSegmentCoversOnlyWhatTheReplayReached() {
        TrackingToken replay = ReplayToken.createReplayToken(
                GapAwareTrackingToken.newInstance(20, Set.of()), GapAwareTrackingToken.newInstance(5, Set.of()));
        SegmentPosition segment = SegmentPosition.of(0, replay);

        assertThat(segment.position()).isEqualTo(5);
        assertThat(segment.covers(5)).isTrue();
        assertThat(segment.covers(6)).isFalse();
    }

    @Test
    void aSegmentWithoutTokenCoversNothing() {
        SegmentPosition segment = SegmentPosition.of(0, null);

        assertThat(segment.position()).isEqualTo(-1);
        assertThat(segment.covers(0)).isFalse();
        assertThat(SegmentPosition.of(0, new GlobalSequenceTrackingToken(4)).covers(4)).isTrue();
    }

    @Test
    void aProjectionCoversAPositionWhenEverySegmentDoes() {
        ProjectionProgress progress = new ProjectionProgress("p", List.of(
                SegmentPosition.of(0, GapAwareTrackingToken.newInstance(10, Set.of())),
                SegmentPosition.of(1, GapAwareTrackingToken.newInstance(8, Set.of()))));

        assertThat(progress.position()).isEqualTo(8);
        assertThat(progress.covers(8)).isTrue();
        assertThat(progress.covers(9)).isFalse();
        assertThat(new ProjectionProgress("p", List.of()).covers(0)).as("not started").isFalse();
        assertThat(new ProjectionProgress("p", List.of()).position()).isEqualTo(-1);
    }

    @Test
    void storedTokensAreReadPerSegmentIncludingReplays() {
        storeTokens("positions-read",
                GapAwareTrackingToken.newInstance(10, Set.of(7L)),
                ReplayToken.createReplayToken(GapAwareTrackingToken.newInstance(20, Set.of()), GapAwareTrackingToken.newInstance(9, Set.of())));

        ProjectionProgress progress = querySide.bean(ProjectionPositions.class).progress("positions-read");

        assertThat(progress.segments()).extracting(SegmentPosition::segment).containsExactly(0, 1);
        assertThat(progress.segments()).extracting(SegmentPosition::position).containsExactly(10L, 9L);
        assertThat(progress.position()).isEqualTo(9);
        assertThat(progress.covers(9)).isTrue();
        assertThat(progress.covers(7)).isFalse();
        assertThat(querySide.bean(ProjectionPositions.class).all()).extracting(ProjectionProgress::processor)
                .contains("executions", "positions-read");
    }

    @Test
    void waitingEndsAtTheTimeoutWhenThePositionIsNotReached() {
        storeTokens("positions-timeout", GapAwareTrackingToken.newInstance(3, Set.of()));
        long started = System.nanoTime();

        ProjectionPositions.Awaited awaited = querySide.bean(ProjectionPositions.class)
                .awaitPosition("positions-timeout", 4, Duration.ofMillis(300));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(awaited.reached()).isFalse();
        assertThat(awaited.progress().position()).isEqualTo(3);
    }

    @Test
    void waitingEndsAsSoonAsABatchCommitsThePosition() {
        storeTokens("positions-wake", GapAwareTrackingToken.newInstance(3, Set.of()));
        CompletableFuture.runAsync(() -> {
            storeTokens("positions-wake", GapAwareTrackingToken.newInstance(4, Set.of()));
            querySide.bean(ProjectionCommits.class).committed();
        }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        long started = System.nanoTime();

        ProjectionPositions.Awaited awaited = querySide.bean(ProjectionPositions.class)
                .awaitPosition("positions-wake", 4, Duration.ofSeconds(30));

        assertThat(awaited.reached()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void theExecutionsProjectionSignalsEachCommittedBatch() {
        long position = querySide.append("main", "signalled", new ExecutionCreated("main", "signalled", "ns", "f", 1,
                List.of(), Map.of(), null, null, Instant.parse("2024-05-01T10:00:00Z")));
        long started = System.nanoTime();

        ProjectionPositions.Awaited awaited = querySide.bean(ProjectionPositions.class)
                .awaitPosition(ExecutionProjection.PROCESSOR, position, Duration.ofSeconds(30));

        assertThat(awaited.reached()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    /**
     * A write that took a lower index may commit after the one asked for (a slow transaction, another command side):
     * the position is reached once no open write can fill a gap below it. A transaction holding the event table's
     * lock, as an insert of an event does until it ends, stands for that write; the indexes are far above any event
     * stored, so the gap is one no event fills.
     */
    @Test
    void aPositionIsReachedOnlyOnceNoOpenWriteCanFillAGapBelowIt() throws SQLException {
        ProjectionPositions positions = querySide.bean(ProjectionPositions.class);
        storeTokens("positions-gap", GapAwareTrackingToken.newInstance(1_000_010, Set.of(1_000_007L)));
        try (Connection openWrite = querySide.bean(DataSource.class).getConnection()) {
            openWrite.setAutoCommit(false);
            try (Statement statement = openWrite.createStatement()) {
                statement.execute("LOCK TABLE domain_event_entry IN ROW EXCLUSIVE MODE");
            }

            assertThat(positions.awaitPosition("positions-gap", 1_000_010, Duration.ofMillis(300)).reached())
                    .as("a write open before the wait may still fill the gap").isFalse();
            assertThat(positions.awaitPosition("positions-gap", 1_000_006, Duration.ofMillis(300)).reached())
                    .as("no gap below").isTrue();

            openWrite.rollback();
        }

        assertThat(positions.awaitPosition("positions-gap", 1_000_010, Duration.ofSeconds(30)).reached()).isTrue();
        assertThat(positions.awaitPosition("positions-gap", 1_000_007, Duration.ofMillis(300)).reached())
                .as("the gap itself is never read").isFalse();
    }

    @Test
    void aReadThatWaitsForNothingReusesTheLastReadingUntilABatchCommitsHere() {
        ProjectionCommits commits = new ProjectionCommits();
        ProjectionPositions positions = positions(commits, Duration.ofHours(1));
        storeTokens("positions-recent", GapAwareTrackingToken.newInstance(3, Set.of()));
        assertThat(positions.recentProgress("positions-recent").position()).isEqualTo(3);

        storeTokens("positions-recent", GapAwareTrackingToken.newInstance(5, Set.of()));

        assertThat(positions.recentProgress("positions-recent").position())
                .as("no batch committed here and the poll interval is an hour: the last reading").isEqualTo(3);
        assertThat(positions.progress("positions-recent").position()).isEqualTo(5);
        commits.committed();
        assertThat(positions.recentProgress("positions-recent").position()).isEqualTo(5);
    }

    @Test
    void aReadingLastsNoLongerThanThePollInterval() {
        ProjectionPositions positions = positions(new ProjectionCommits(), Duration.ofNanos(1));
        storeTokens("positions-recent-expired", GapAwareTrackingToken.newInstance(3, Set.of()));
        assertThat(positions.recentProgress("positions-recent-expired").position()).isEqualTo(3);

        storeTokens("positions-recent-expired", GapAwareTrackingToken.newInstance(4, Set.of()));

        assertThat(positions.recentProgress("positions-recent-expired").position()).isEqualTo(4);
    }

    /** Positions with their own commit signal, so that no projection of the application refreshes a reading. */
    private static ProjectionPositions positions(ProjectionCommits commits, Duration pollInterval) {
        return new ProjectionPositions(querySide.jdbc(), querySide.bean(Configuration.class).serializer(), commits,
                new QueryProperties(null, null, pollInterval, null), List.of(), querySide.bean(EventStoreGaps.class));
    }

    private static void storeTokens(String processor, TrackingToken... segmentTokens) {
        TokenStore tokens = querySide.bean(TokenStore.class);
        querySide.bean(TransactionTemplate.class).executeWithoutResult(status -> {
            if (tokens.fetchSegments(processor).length == 0) {
                tokens.initializeTokenSegments(processor, segmentTokens.length);
            }
            for (int segment = 0; segment < segmentTokens.length; segment++) {
                tokens.storeToken(segmentTokens[segment], processor, segment);
            }
        });
    }
}
