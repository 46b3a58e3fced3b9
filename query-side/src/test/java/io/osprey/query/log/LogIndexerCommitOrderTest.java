package io.osprey.query.log;

import io.osprey.events.EventSerialization;
import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogsDeleted;
import io.osprey.query.projection.ProjectionCommits;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events reach the indexer in the order they committed, from the event store's cache; a rebuild reads them in
 * position order. Here batch C (position 4) commits first, then the deletion D of the same execution (3), then batch B
 * (2): D must take B's line and keep C's, as a rebuild does. The indexer holds D back, reads what lies up to it from
 * the storage in position order (B, then D, each filling a gap), and reads on after D.
 */
class LogIndexerCommitOrderTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    Path root;

    private static TrackedEventMessage<?> event(TrackingToken token, Object payload) {
        return new GenericTrackedEventMessage<>(token, GenericEventMessage.asEventMessage(payload));
    }

    private static Object lineOf(String executionId, String message) {
        return batch("main", List.of(line("ns", executionId, "t", LogLevel.INFO, AT, message)));
    }

    private static final Object DELETION = new LogsDeleted("main", "x", null, null, null, null, null, null, null, AT);

    /** As the cache holds them: in commit order, each token as the store's reader advanced it. */
    private static final List<TrackedEventMessage<?>> COMMITTED = List.of(
            event(GapAwareTrackingToken.newInstance(1, Set.of()), lineOf("y", "alpha")),
            event(GapAwareTrackingToken.newInstance(4, Set.of(2L, 3L)), lineOf("x", "charlie")),
            event(GapAwareTrackingToken.newInstance(4, Set.of(2L)), DELETION),
            event(GapAwareTrackingToken.newInstance(4, Set.of()), lineOf("x", "bravo")));

    /** A stream over the cache from the event after the token it was opened at (none when no event has it). */
    private static final class CachedStore implements StreamableMessageSource<TrackedEventMessage<?>> {
        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken from) {
            int next = 0;
            if (from != null) {
                next = COMMITTED.size();
                for (int i = 0; i < COMMITTED.size(); i++) {
                    if (COMMITTED.get(i).trackingToken().equals(from)) {
                        next = i + 1;
                    }
                }
            }
            return new Cached(next);
        }

        private static final class Cached implements BlockingStream<TrackedEventMessage<?>> {
            private int next;

            Cached(int next) {
                this.next = next;
            }

            @Override
            public Optional<TrackedEventMessage<?>> peek() {
                return next < COMMITTED.size() ? Optional.of(COMMITTED.get(next)) : Optional.empty();
            }

            @Override
            public boolean hasNextAvailable(int timeout, TimeUnit unit) {
                if (next < COMMITTED.size()) {
                    return true;
                }
                LockSupport.parkNanos(unit.toNanos(timeout)); // as a stream with nothing new waits
                return false;
            }

            @Override
            public TrackedEventMessage<?> nextAvailable() {
                return COMMITTED.get(next++);
            }

            @Override
            public void close() {
            }
        }
    }

    /** The storage after the token the indexer had reached at C, (4, gaps 2 and 3), in position order. */
    private static Stream<TrackedEventMessage<?>> stored(TrackingToken after) {
        return Stream.of(
                event(GapAwareTrackingToken.newInstance(4, Set.of(3L)), lineOf("x", "bravo")),
                event(GapAwareTrackingToken.newInstance(4, Set.of()), DELETION));
    }

    @Test
    void aDeletionTakesTheLinesOfLowerPositionsThatCommittedAfterItAndKeepsThoseOfHigherOnes() throws IOException {
        LogIndex index = new LogIndex(root, new LogCheckpoint.TokenCodec(EventSerialization.serializer()), 4, 2, 31, 256);
        LogIndexProperties properties = new LogIndexProperties(root, Duration.ofMillis(1), Duration.ofMillis(1), 4.0, 1,
                Duration.ofDays(7), 256);
        LogIndexer indexer = new LogIndexer(new CachedStore(), index, properties, new ProjectionCommits(), () -> 4,
                LogIndexer.OpenWrites.NONE, LogIndexerCommitOrderTest::stored, Duration.ofSeconds(60));
        indexer.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> GapAwareTrackingToken.newInstance(4, Set.of())
                    .equals(index.searchable()));

            assertThat(messagesOf(index, "x")).as("bravo deleted, charlie kept").isEqualTo(1);
            assertThat(messagesOf(index, "y")).isEqualTo(1);
            assertThat(messageCount(index, "charlie")).isEqualTo(1);
        } finally {
            indexer.stop();
            index.close();
        }
    }

    private static int messagesOf(LogIndex index, String executionId) throws IOException {
        return count(index, new Term(LogFields.EXECUTION_ID, executionId));
    }

    private static int messageCount(LogIndex index, String word) throws IOException {
        return count(index, new Term(LogFields.MESSAGE, word));
    }

    private static int count(LogIndex index, Term term) throws IOException {
        int count = 0;
        for (LogPartition partition : index.partitions("main", null, null)) {
            IndexSearcher searcher = partition.acquire();
            try {
                count += searcher.count(new TermQuery(term));
            } finally {
                LogPartition.release(searcher);
            }
        }
        return count;
    }
}
