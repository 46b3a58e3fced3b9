package io.osprey.query.log;

import io.osprey.events.EventSerialization;
import io.osprey.events.log.LogLevel;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The indexer's loop outlives an OutOfMemoryError met while indexing (a large request elsewhere holding the heap): it
 * resumes from its last commit, and every line is in the index once.
 */
class LogIndexerRecoveryTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");
    private static final int EVENTS = 10;
    private static final int BEFORE_THE_ERROR = 5;

    @TempDir
    Path root;

    /** Events 1..10 of one line each (execution "e{position}"); the first stream opened ends in an OutOfMemoryError. */
    private final class Store implements StreamableMessageSource<TrackedEventMessage<?>> {
        final List<TrackingToken> openedFrom = new CopyOnWriteArrayList<>();
        final AtomicBoolean failed = new AtomicBoolean();

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken from) {
            openedFrom.add(from == null ? GapAwareTrackingToken.newInstance(0, Set.of()) : from);
            long after = from == null ? 0 : from.position().orElse(0);
            boolean failing = openedFrom.size() == 1;
            return new Stream(after, failing ? BEFORE_THE_ERROR : EVENTS, failing);
        }

        private final class Stream implements BlockingStream<TrackedEventMessage<?>> {
            private long next;
            private final long last;
            private final boolean failAfterLast;
            private boolean waitedAfterLast;

            Stream(long after, long last, boolean failAfterLast) {
                this.next = after + 1;
                this.last = last;
                this.failAfterLast = failAfterLast;
            }

            @Override
            public Optional<TrackedEventMessage<?>> peek() {
                return next <= last ? Optional.of(event(next)) : Optional.empty();
            }

            @Override
            public boolean hasNextAvailable(int timeout, TimeUnit unit) {
                if (next <= last) {
                    return true;
                }
                // once a wait for more has passed after the last event, longer than the commit interval, so that the
                // indexer has committed what came before: then fails as a Lucene writer's allocation would
                if (failAfterLast && waitedAfterLast && failed.compareAndSet(false, true)) {
                    throw new OutOfMemoryError("Java heap space (thrown by the test)");
                }
                if (timeout > 0) {
                    LockSupport.parkNanos(unit.toNanos(timeout)); // as a stream with nothing new waits
                    waitedAfterLast = true;
                }
                return false;
            }

            @Override
            public TrackedEventMessage<?> nextAvailable() {
                return event(next++);
            }

            @Override
            public void close() {
            }
        }
    }

    private static TrackedEventMessage<?> event(long position) {
        return new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(position, Set.of()),
                GenericEventMessage.asEventMessage(batch("main",
                        List.of(line("ns", "e" + position, "t", LogLevel.INFO, AT, "line " + position)))));
    }

    @Test
    void anOutOfMemoryErrorWhileIndexingIsResumedFromTheLastCommitAndNoLineIsLostOrDoubled() throws IOException {
        Store store = new Store();
        LogIndex index = new LogIndex(root, new LogCheckpoint.TokenCodec(EventSerialization.serializer()), 4, 2, 31, 256);
        // refreshed and committed every millisecond, the least allowed: the error comes after a commit, as after any
        LogIndexProperties properties = new LogIndexProperties(root, Duration.ofMillis(1), Duration.ofMillis(1), 4.0, 1,
                Duration.ofDays(7), 256);
        LogIndexer indexer = new LogIndexer(store, index, properties, new ProjectionCommits(), () -> EVENTS,
                LogIndexer.OpenWrites.NONE, after -> Stream.empty(), Duration.ofSeconds(60));
        indexer.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> searchableUpTo(index) == EVENTS);

            assertThat(store.failed).as("the error was thrown").isTrue();
            assertThat(store.openedFrom).hasSize(2);
            assertThat(store.openedFrom.get(1).position()).as("resumed from the commit before the error")
                    .hasValue(BEFORE_THE_ERROR);
            for (long position : LongStream.rangeClosed(1, EVENTS).toArray()) {
                assertThat(linesOf(index, "e" + position)).as("lines of e%d", position).isEqualTo(1);
            }
        } finally {
            indexer.stop();
            index.close();
        }
    }

    private static long searchableUpTo(LogIndex index) {
        TrackingToken searchable = index.searchable();
        return searchable == null ? -1 : searchable.position().orElse(-1);
    }

    private static int linesOf(LogIndex index, String executionId) throws IOException {
        int count = 0;
        for (LogPartition partition : index.partitions("main", null, null)) {
            IndexSearcher searcher = partition.acquire();
            try {
                count += searcher.count(new TermQuery(new Term(LogFields.EXECUTION_ID, executionId)));
            } finally {
                LogPartition.release(searcher);
            }
        }
        return count;
    }
}
