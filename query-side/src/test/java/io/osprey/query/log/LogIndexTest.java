package io.osprey.query.log;

import io.osprey.events.EventSerialization;
import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import io.osprey.events.log.LogsDeleted;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;

/** The index's commit protocol, driven directly: partitions and checkpoint as a crash can leave them. */
class LogIndexTest {

    private static final Instant DAY1 = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-21T10:00:00Z");

    @TempDir
    Path root;

    private LogIndex open() {
        return open(4);
    }

    private LogIndex open(double ramBufferMb) {
        return open(ramBufferMb, 256);
    }

    private LogIndex open(double ramBufferMb, int maxOpenPartitions) {
        return new LogIndex(root, new LogCheckpoint.TokenCodec(EventSerialization.serializer()), ramBufferMb, 2, 31,
                maxOpenPartitions);
    }

    private static TrackedEventMessage<?> event(long position, Set<Long> gaps, List<LogLine> lines) {
        return new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(position, gaps),
                GenericEventMessage.asEventMessage(batch("main", lines)));
    }

    /** An event of one line, of execution {@code word}, whose message is {@code word}. */
    private static TrackedEventMessage<?> oneLine(long position, Set<Long> gaps, Instant at, String word) {
        return event(position, gaps, List.of(line("ns", word, "t", LogLevel.INFO, at, word)));
    }

    /** The partition commits by itself, as when the index closes it or a crash comes before the other partitions. */
    private static void commitAlone(LogPartition partition, TrackingToken token) throws IOException {
        partition.commit(new LogCheckpoint.TokenCodec(EventSerialization.serializer()).write(token), token);
    }

    private static List<LogLine> twoDays(String execution) {
        return List.of(line("ns", execution, "t", LogLevel.INFO, DAY1, execution + " day 1"),
                line("ns", execution, "t", LogLevel.INFO, DAY2, execution + " day 2"));
    }

    private static int lines(LogIndex index) throws IOException {
        int count = 0;
        for (LogPartition partition : index.partitions("main", null, null)) {
            IndexSearcher searcher = partition.acquire();
            try {
                count += searcher.getIndexReader().numDocs();
            } finally {
                LogPartition.release(searcher);
            }
        }
        return count;
    }

    @Test
    void linesFarFromTheMiddleOfTheirBatchShareOnePartitionAndStayFoundAndDeletable() throws IOException {
        // 2001 lines a day apart from the year 1000 on: the batch's middle is day 1000, 31 days either side are days
        Instant start = Instant.parse("1000-01-01T12:00:00Z");
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i <= 2000; i++) {
            lines.add(line("ns", "x", "t", LogLevel.INFO, start.plus(Duration.ofDays(i)), "line " + i));
        }
        TrackedEventMessage<?> batch = event(1, Set.of(), lines);
        LocalDate middle = LocalDate.ofInstant(start.plus(Duration.ofDays(1000)), ZoneOffset.UTC);
        try (LogIndex index = open()) {
            index.open();
            index.apply(batch);
            index.refresh(batch.trackingToken());

            List<LogPartition> partitions = index.partitions("main", null, null);
            assertThat(partitions).hasSize(1 + 63);
            assertThat(partitions.get(0).day()).as("other days first").isNull();
            assertThat(partitions.get(1).day()).isEqualTo(middle.minusDays(31));
            assertThat(partitions.get(63).day()).isEqualTo(middle.plusDays(31));
            assertThat(lines(index)).isEqualTo(2001);
            // a window on a day far from the middle searches the partition of other days only
            assertThat(index.partitions("main", LocalDate.parse("1000-01-05"), LocalDate.parse("1000-01-05")))
                    .extracting(LogPartition::day).containsExactly((LocalDate) null);

            TrackedEventMessage<?> retention = new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(2, Set.of()),
                    GenericEventMessage.asEventMessage(new LogsDeleted("main", null, null, null, null, null, null, null,
                            start.plus(Duration.ofDays(1000)), Instant.now())));
            index.apply(retention);
            index.refresh(retention.trackingToken());

            assertThat(lines(index)).as("the 1000 oldest lines are gone, the rest stay").isEqualTo(1001);
            assertThat(index.partitions("main", null, null)).as("31 days before the middle dropped").hasSize(1 + 32);
            index.commit(retention.trackingToken());
        }
        try (LogIndex reopened = open()) {
            reopened.open();
            assertThat(reopened.partitions("main", null, null)).hasSize(1 + 32);
            assertThat(lines(reopened)).isEqualTo(1001);
        }
    }

    @Test
    void aCrashBetweenPartitionCommitsAndTheCheckpointReplaysWithoutDoubling() throws IOException {
        List<TrackedEventMessage<?>> events = List.of(event(0, Set.of(), twoDays("a")), event(1, Set.of(), twoDays("b")),
                event(2, Set.of(), twoDays("c")));
        LogIndex index = open();
        assertThat(index.open()).isNull();
        index.apply(events.get(0));
        index.commit(events.get(0).trackingToken());
        index.apply(events.get(1));
        index.apply(events.get(2));
        // the crash: one day partition committed at event 2, the other partition and the checkpoint not
        TrackingToken token2 = events.get(2).trackingToken();
        commitAlone(index.partitions("main", null, null).get(0), token2);
        index.close();

        LogIndex reopened = open();
        TrackingToken resumeFrom = reopened.open();
        assertThat(resumeFrom).isEqualTo(events.get(0).trackingToken());
        for (TrackedEventMessage<?> event : events.subList(1, 3)) {
            reopened.apply(event);
        }
        reopened.refresh(token2);

        assertThat(lines(reopened)).isEqualTo(6);
        reopened.close();
    }

    @Test
    void anEventFillingAGapOfAPartitionsCommitLeavesWhatThatCommitHeldSkippedOnReplay() throws IOException {
        // event 1 commits after events 2 and 3: the day's partition commits at 3 with the gap 1, the checkpoint at 0
        TrackedEventMessage<?> first = oneLine(0, Set.of(), DAY1, "a");
        LogIndex index = open();
        index.open();
        index.apply(first);
        index.commit(first.trackingToken());
        index.apply(oneLine(2, Set.of(1L), DAY1, "c"));
        index.apply(oneLine(3, Set.of(1L), DAY1, "d"));
        TrackingToken withGap = GapAwareTrackingToken.newInstance(3, Set.of(1L));
        commitAlone(index.partitions("main", null, null).get(0), withGap);
        index.close();

        // the replay reads 1, 2 and 3; the partition commits after taking 1, before 2 comes again
        LogIndex reopened = open();
        assertThat(reopened.open()).isEqualTo(first.trackingToken());
        TrackedEventMessage<?> filled = oneLine(1, Set.of(), DAY1, "b");
        reopened.apply(filled);
        reopened.commit(filled.trackingToken());
        reopened.apply(oneLine(2, Set.of(), DAY1, "c"));
        reopened.apply(oneLine(3, Set.of(), DAY1, "d"));
        reopened.refresh(GapAwareTrackingToken.newInstance(3, Set.of()));

        assertThat(lines(reopened)).isEqualTo(4);
        reopened.close();
    }

    @Test
    void aPartitionCommittedWhileAnEarlierEventWasBeingWrittenSkipsItsLinesOnAReplayThatReadsThatEventFirst() throws IOException {
        TrackedEventMessage<?> first = oneLine(0, Set.of(), DAY2, "a");
        LogIndex index = open();
        index.open();
        index.apply(first);
        index.commit(first.trackingToken());
        // event 2 is read while event 1 is still being written; the first day's partition commits then (as one the
        // index closes does), the checkpoint stays at event 0
        index.apply(oneLine(2, Set.of(1L), DAY1, "c"));
        TrackingToken withGap = GapAwareTrackingToken.newInstance(2, Set.of(1L));
        LocalDate day1 = LocalDate.ofInstant(DAY1, ZoneOffset.UTC);
        commitAlone(index.partitions("main", day1, day1).get(0), withGap);
        index.close();

        // after the crash, event 1 is there: the replay's token at event 2 has no gap
        LogIndex reopened = open();
        assertThat(reopened.open()).isEqualTo(first.trackingToken());
        reopened.apply(oneLine(1, Set.of(), DAY2, "b"));
        reopened.apply(oneLine(2, Set.of(), DAY1, "c"));
        reopened.refresh(GapAwareTrackingToken.newInstance(2, Set.of()));

        assertThat(lines(reopened)).isEqualTo(3);
        reopened.close();
    }

    @Test
    void partitionsBeyondTheOpenLimitAreCommittedAndClosedAndOpenAgainWhenSearchedOrWritten() throws IOException {
        LogIndex index = open(4, 2);
        index.open();
        List<TrackedEventMessage<?>> events = new ArrayList<>();
        for (int day = 0; day < 6; day++) {
            events.add(event(day, Set.of(), List.of(line("ns", "exec-" + day, "t", LogLevel.INFO,
                    DAY1.plus(Duration.ofDays(day)), "day " + day))));
        }
        for (TrackedEventMessage<?> event : events) {
            index.apply(event);
            assertThat(index.openPartitions()).isLessThanOrEqualTo(2);
        }
        TrackingToken last = events.get(5).trackingToken();
        index.refresh(last);
        assertThat(lines(index)).as("the closed days open again for a search").isEqualTo(6);
        assertThat(index.openPartitions()).isEqualTo(6);
        index.closeExcessPartitions();
        assertThat(index.openPartitions()).isEqualTo(2);

        // an execution's deletion opens every day of its tenant, and closes them again as it goes
        index.apply(new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(6, Set.of()),
                GenericEventMessage.asEventMessage(new LogsDeleted("main", "exec-1", null, null, null, null, null, null, null, DAY2))));
        assertThat(index.openPartitions()).isLessThanOrEqualTo(2);
        // a late line for the first day opens it for writing
        index.apply(event(7, Set.of(), List.of(line("ns", "exec-0", "t", LogLevel.INFO, DAY1.plusSeconds(60), "late"))));
        index.refresh(GapAwareTrackingToken.newInstance(7, Set.of()));
        assertThat(lines(index)).isEqualTo(6);
        // the search opened every day since; the first day, with its line not yet committed, is used least recently
        // but closes last: closing the others costs no commit
        index.closeExcessPartitions();
        assertThat(index.openPartitions()).isEqualTo(2);
        LocalDate firstDay = LocalDate.ofInstant(DAY1, ZoneOffset.UTC);
        assertThat(index.partitions("main", firstDay, firstDay).get(0).isOpen()).isTrue();

        // a crash before any checkpoint: each partition closed on the way committed what it held, and a replay from
        // the start of the store adds each line once
        index.close();
        LogIndex reopened = open(4, 2);
        assertThat(reopened.open()).isNull();
        for (TrackedEventMessage<?> event : events) {
            reopened.apply(event);
        }
        reopened.apply(new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(6, Set.of()),
                GenericEventMessage.asEventMessage(new LogsDeleted("main", "exec-1", null, null, null, null, null, null, null, DAY2))));
        reopened.apply(event(7, Set.of(), List.of(line("ns", "exec-0", "t", LogLevel.INFO, DAY1.plusSeconds(60), "late"))));
        reopened.refresh(GapAwareTrackingToken.newInstance(7, Set.of()));
        assertThat(lines(reopened)).isEqualTo(6);
        reopened.close();
    }

    /**
     * A deletion whose transaction committed after a batch of a higher position comes after it, as it fills its gap;
     * a rebuild reads them in position order, the deletion first. It takes the lines of lower positions only, so both
     * readings end alike, by execution and by age (which otherwise drops whole days).
     */
    @Test
    void aDeletionThatCommittedLateKeepsTheLinesOfLaterPositions() throws IOException {
        try (LogIndex index = open()) {
            index.open();
            index.apply(event(1, Set.of(), twoDays("exec-1")));
            index.apply(event(4, Set.of(2L, 3L), twoDays("exec-1")));
            index.apply(new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(4, Set.of(3L)),
                    GenericEventMessage.asEventMessage(new LogsDeleted("main", "exec-1", null, null, null, null, null,
                            null, null, DAY2))));
            index.apply(new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(4, Set.of()),
                    GenericEventMessage.asEventMessage(new LogsDeleted("main", null, null, null, null, null, null,
                            null, DAY2.plus(Duration.ofDays(2)), DAY2))));
            index.refresh(GapAwareTrackingToken.newInstance(4, Set.of()));

            assertThat(lines(index)).as("position 1 deleted at 2, position 4 kept by both").isEqualTo(2);
        }
    }

    @Test
    void searchesUsingPartitionsWhileTheIndexerClosesTheLeastRecentlyUsedNeitherFailItNorLoseLines() throws Exception {
        LogIndex index = open(4, 20);
        index.open();
        int days = 100;
        for (int day = 0; day < days; day++) {
            index.apply(event(day, Set.of(), List.of(line("ns", "exec-" + day, "t", LogLevel.INFO,
                    DAY1.plus(Duration.ofDays(day)), "day " + day))));
        }
        index.refresh(GapAwareTrackingToken.newInstance(days - 1, Set.of()));
        List<LogPartition> all = index.partitions("main", null, null);
        ExecutorService searchers = Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Integer>> searches = new ArrayList<>();
            for (int thread = 0; thread < 2; thread++) {
                int first = thread;
                searches.add(searchers.submit(() -> {
                    int found = 0;
                    for (int round = 0; round < 10; round++) {
                        for (int i = first; i < all.size(); i += 2) {
                            IndexSearcher searcher = all.get(i).acquire();
                            try {
                                found += searcher.getIndexReader().numDocs();
                            } finally {
                                LogPartition.release(searcher);
                            }
                        }
                    }
                    return found;
                }));
            }
            // the indexer's side: while searches open partitions, it closes the least recently used, which they change
            while (!searches.stream().allMatch(java.util.concurrent.Future::isDone)) {
                index.closeExcessPartitions();
            }
            int found = 0;
            for (java.util.concurrent.Future<Integer> search : searches) {
                found += search.get();
            }
            assertThat(found).isEqualTo(10 * days);
        } finally {
            searchers.shutdownNow();
        }
        index.closeExcessPartitions();
        assertThat(index.openPartitions()).isEqualTo(20);
        index.close();
    }

    @Test
    void aSearchWhileTheIndexIsReopeningIsRefusedRatherThanFindingNothing() throws IOException {
        LogIndex index = open();
        index.open();
        index.apply(event(0, Set.of(), twoDays("a")));
        index.close();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.partitions("main", null, null))
                .isInstanceOf(LogIndexUnavailableException.class);
        index.open();
        assertThat(index.partitions("main", null, null)).hasSize(2);
        index.close();
    }

    @Test
    void whatWasNotCommittedIsGoneAfterACrashAndTheCheckpointSaysWhereToResume() throws IOException {
        LogIndex index = open();
        index.open();
        TrackedEventMessage<?> first = event(0, Set.of(), twoDays("a"));
        index.apply(first);
        index.commit(first.trackingToken());
        index.apply(event(3, Set.of(1L, 2L), twoDays("b")));
        index.refresh(event(3, Set.of(1L, 2L), twoDays("b")).trackingToken());
        assertThat(lines(index)).isEqualTo(4);
        index.close();

        LogIndex reopened = open();
        assertThat(reopened.open()).isEqualTo(first.trackingToken());
        reopened.refresh(first.trackingToken());
        assertThat(lines(reopened)).isEqualTo(2);
        reopened.close();
    }

    @Test
    void dayPartitionsShareOneIndexingBuffer() throws IOException {
        dayPartitionsShareOneIndexingBuffer(null);
    }

    @Test
    void dayPartitionsShareOneIndexingBufferWhenThreadsAddAndWriteTheLines() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            dayPartitionsShareOneIndexingBuffer(threads);
        } finally {
            threads.shutdown();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private void dayPartitionsShareOneIndexingBuffer(ExecutorService threads) throws IOException {
        LogIndex index = open(1);
        index.open();
        List<TrackedEventMessage<?>> events = new ArrayList<>();
        for (int e = 0; e < 12; e++) {
            List<LogLine> lines = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                Instant day = Instant.parse("2026-11-2" + (e % 4) + "T10:00:00Z").plusMillis(i);
                lines.add(line("ns", "exec-" + e, "t", LogLevel.INFO, day,
                        "row_count=" + i + " of batch " + e + " " + "payload ".repeat(20)));
            }
            events.add(event(e, Set.of(), lines));
        }
        for (int e = 0; e < events.size(); e += 2) {
            index.applyAll(events.subList(e, e + 2), threads);
            long buffered = index.partitions("main", null, null).stream().mapToLong(LogPartition::bufferedBytes).sum();
            assertThat(buffered).isLessThanOrEqualTo(1024 * 1024);
        }
        index.refresh(events.get(events.size() - 1).trackingToken(), threads);

        assertThat(index.partitions("main", null, null)).hasSize(4);
        assertThat(lines(index)).isEqualTo(12 * 500);
        index.close();
    }

    @Test
    void aReadThroughEveryLineSendsEachOnceWhileAnEarlierDayGainsLinesBetweenItsPages() throws IOException {
        LogIndex index = open();
        index.open();
        List<LogLine> execution = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            execution.add(line("ns", "e", "t", LogLevel.INFO, DAY2.plusMillis(i), "line " + i));
        }
        index.apply(event(0, Set.of(), execution));
        index.refresh(GapAwareTrackingToken.newInstance(0, Set.of()));
        LogSearches searches = new LogSearches(index, new GapWatermark(Duration.ofSeconds(60), System::nanoTime, gap -> Duration.ZERO, GapWatermark.RollbackCheck.NONE));
        List<String> read = new ArrayList<>();
        long[] position = {0};
        // between two pages of the read, lines come into the day before: every line of the execution moves up in the
        // doc ids of the next page's reader, the last line of the first page too
        searches.stream("main", new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term(LogFields.EXECUTION_ID, "e")),
                line -> {
                    read.add(line.message());
                    if (read.size() % 1000 == 0) {
                        position[0]++;
                        index.apply(event(position[0], Set.of(), List.of(line("ns", "other", "t", LogLevel.INFO, DAY1, "earlier"))));
                        index.refresh(GapAwareTrackingToken.newInstance(position[0], Set.of()));
                    }
                });

        assertThat(read).hasSize(1500).doesNotHaveDuplicates();
        index.close();
    }

    @Test
    void linesAndDeletionsFromBeforeIngestCheckedTheirTimesAreIndexedWithoutStoppingTheIndexer() throws IOException {
        Instant farPast = Instant.parse("-999999999-01-01T00:00:00Z");
        Instant farFuture = Instant.parse("+999999999-12-31T23:59:59Z");
        LogIndex index = open();
        index.open();
        TrackedEventMessage<?> written = event(0, Set.of(), List.of(line("ns", "a", "t", LogLevel.INFO, farPast, "past"),
                line("ns", "a", "t", LogLevel.INFO, DAY1, "now"), line("ns", "b", "t", LogLevel.INFO, farFuture, "future")));
        index.apply(written);
        index.refresh(written.trackingToken());
        List<LogLine> found = new ArrayList<>();
        new LogSearches(index, new GapWatermark(Duration.ofSeconds(60), System::nanoTime, gap -> Duration.ZERO, GapWatermark.RollbackCheck.NONE)).stream("main", new MatchAllDocsQuery(), found::add);
        assertThat(found).extracting(LogLine::timestamp).containsExactlyInAnyOrder(farPast, DAY1, farFuture);

        TrackedEventMessage<?> deleted = new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(1, Set.of()),
                GenericEventMessage.asEventMessage(new LogsDeleted("main", "a", null, null, null, null, null, null,
                        farFuture, DAY2)));
        index.apply(deleted);
        index.refresh(deleted.trackingToken());

        assertThat(lines(index)).isEqualTo(1);
        index.close();
    }

    @Test
    void keepsTheLongestMessageTheIngestAllowsWhole() throws IOException {
        String longest = "☃".repeat(65_536); // three bytes each in UTF-8
        LogIndex index = open();
        index.open();
        TrackedEventMessage<?> event = event(0, Set.of(), List.of(line("ns", "a", "t", LogLevel.INFO, DAY1, longest)));
        index.apply(event);
        index.refresh(event.trackingToken());

        List<LogLine> found = new ArrayList<>();
        new LogSearches(index, new GapWatermark(Duration.ofSeconds(60), System::nanoTime, gap -> Duration.ZERO, GapWatermark.RollbackCheck.NONE)).stream("main", new MatchAllDocsQuery(), found::add);

        assertThat(found).singleElement().extracting(LogLine::message).isEqualTo(longest);
        index.close();
    }

    @Test
    void linesOfEventsThatFillGapsKeepTheirOwnPlaceInIngestOrder() throws IOException {
        // events 1 and 2 committed after event 3: their tokens keep index 3 and only lose the gap they fill
        List<TrackedEventMessage<?>> events = List.of(
                event(3, Set.of(1L, 2L), sameInstant("at 3")),
                event(3, Set.of(2L), sameInstant("at 1")),
                event(3, Set.of(), sameInstant("at 2")));
        LogIndex index = open();
        index.open();
        for (TrackedEventMessage<?> event : events) {
            index.apply(event);
        }
        index.refresh(events.get(2).trackingToken());

        List<Long> seqs = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        new LogSearches(index, new GapWatermark(Duration.ofSeconds(60), System::nanoTime, gap -> Duration.ZERO, GapWatermark.RollbackCheck.NONE)).linesAfter("main", new MatchAllDocsQuery(), -1, Long.MAX_VALUE, (seq, line) -> {
            seqs.add(seq);
            messages.add(line.message());
        });

        assertThat(messages).containsExactly("at 1 first", "at 1 second", "at 2 first", "at 2 second",
                "at 3 first", "at 3 second");
        assertThat(seqs).doesNotHaveDuplicates().isSorted();
        assertThat(seqs.stream().map(LogFields::position)).containsExactly(1L, 1L, 2L, 2L, 3L, 3L);
        index.close();
    }

    private static List<LogLine> sameInstant(String event) {
        return List.of(line("ns", "a", "t", LogLevel.INFO, DAY1, event + " first"),
                line("ns", "a", "t", LogLevel.INFO, DAY1, event + " second"));
    }

    @Test
    void theIndexOfAnEventIsItsTokensUnlessItClosedAGap() {
        TrackingToken start = GapAwareTrackingToken.newInstance(5, Set.of(2L, 4L));
        assertThat(LogIndex.globalIndex(null, GapAwareTrackingToken.newInstance(0, Set.of()))).isZero();
        assertThat(LogIndex.globalIndex(start, GapAwareTrackingToken.newInstance(7, Set.of(2L, 4L, 6L)))).isEqualTo(7);
        assertThat(LogIndex.globalIndex(start, GapAwareTrackingToken.newInstance(5, Set.of(2L)))).isEqualTo(4);
        // a gap dropped because it lies too far back goes with the one closed: the closed one is the highest
        assertThat(LogIndex.globalIndex(start, GapAwareTrackingToken.newInstance(5, Set.of()))).isEqualTo(4);
    }

    @Test
    void aTenantMayBeCalledLikeTheCheckpointWas() throws IOException {
        LogIndex index = open();
        index.open();
        TrackedEventMessage<?> event = new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(0, Set.of()),
                GenericEventMessage.asEventMessage(batch("_checkpoint", twoDays("a"))));
        index.apply(event);
        index.commit(event.trackingToken());
        index.close();

        LogIndex reopened = open();
        assertThat(reopened.open()).isEqualTo(event.trackingToken());
        assertThat(reopened.partitions("_checkpoint", null, null)).hasSize(2);
        reopened.close();
    }

    @Test
    void anIndexWithItsCheckpointWhereItWasKeptBeforeResumesFromIt() throws IOException {
        LogIndex index = open();
        index.open();
        TrackedEventMessage<?> first = event(0, Set.of(), twoDays("a"));
        index.apply(first);
        index.commit(first.trackingToken());
        index.close();
        Files.move(root.resolve(".checkpoint"), root.resolve("_checkpoint"));

        LogIndex reopened = open();
        assertThat(reopened.open()).isEqualTo(first.trackingToken());
        reopened.refresh(first.trackingToken());
        assertThat(lines(reopened)).isEqualTo(2);
        reopened.close();
        assertThat(root.resolve("_checkpoint")).isEmptyDirectory();
    }
}
