package io.osprey.query.log;

import io.osprey.events.log.LogsDeleted;
import io.osprey.query.projection.LocalProjection;
import io.osprey.query.projection.ProjectionCommits;
import io.osprey.query.projection.ProjectionProgress;
import io.osprey.query.projection.SegmentPosition;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The tracking processor of the log index: one thread reads the event store from the index's checkpoint,
 * applies log events in batches (their lines added by {@code osprey.logs.index.threads} threads), refreshes
 * searchers every refresh interval (or at once when a query waits for a position) and commits the
 * partitions with the token every commit interval and on shutdown. On any
 * failure it gives up what was not committed and resumes from the checkpoint, so a line is never lost nor
 * indexed twice.
 *
 * <p>Events come in the order their transactions committed, which is not always their order in the store: a log batch
 * whose transaction committed late comes after a deletion of a higher position, and would be kept where a rebuild,
 * reading in position order, deletes it. So a deletion waits until no write that may still fill a gap below it is
 * open ({@link OpenWrites}); then the events up to it are read from the storage itself, in position order (the stream
 * would serve them again from the event store's cache, in the order it fetched them), and the stream is opened again
 * after it.
 */
public final class LogIndexer implements SmartLifecycle, LocalProjection {

    public static final String NAME = "logs";
    private static final Logger log = LoggerFactory.getLogger(LogIndexer.class);
    private static final int MAX_EVENTS_PER_BATCH = 64;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration OPEN_WRITES_POLL = Duration.ofMillis(20);

    private final StreamableMessageSource<TrackedEventMessage<?>> eventStore;
    private final LogIndex index;
    private final LogIndexProperties properties;
    private final ProjectionCommits commits;
    /** The event store's highest position. */
    private final LongSupplier head;
    private final OpenWrites openWrites;
    private final StoredEvents storage;
    private final Duration gapTimeout;
    /** The position of the deletion last held back: should the stream bring it again, it is applied, not held again. */
    private volatile long deletionWaitedFor = -1;
    private final Object lifecycle = new Object();
    private volatile boolean running;
    private volatile boolean hurry;
    private volatile boolean halted;
    /** Null while indexing works. */
    private volatile Failure failure;
    private Thread thread;
    private ExecutorService threads;

    /** What the database says of writes still open (see {@code EventStoreGaps}); {@link #NONE} where it cannot tell. */
    interface OpenWrites {
        OpenWrites NONE = new OpenWrites() {
            @Override
            public Instant now() {
                return null;
            }

            @Override
            public boolean openSince(Instant mark) {
                return false;
            }
        };

        /** The database's time now; null where it cannot tell open writes apart. */
        Instant now();

        /** Whether a write begun before this time may still append events. */
        boolean openSince(Instant mark);
    }

    /** The events stored after a token, in position order, read from the storage rather than the store's cache. */
    interface StoredEvents {
        Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken after);
    }

    LogIndexer(StreamableMessageSource<TrackedEventMessage<?>> eventStore, LogIndex index, LogIndexProperties properties,
               ProjectionCommits commits, LongSupplier head, OpenWrites openWrites, StoredEvents storage,
               Duration gapTimeout) {
        this.openWrites = openWrites;
        this.storage = storage;
        this.gapTimeout = gapTimeout;
        this.eventStore = eventStore;
        this.index = index;
        this.properties = properties;
        this.commits = commits;
        this.head = head;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProjectionProgress progress() {
        return new ProjectionProgress(NAME, List.of(SegmentPosition.of(0, index.searchable())));
    }

    @Override
    public void hurry() {
        hurry = true;
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (running) {
                return;
            }
            // opened here, not on the thread, so that searches see what is on disk as soon as the application is up,
            // and a directory that cannot be opened stops the start instead of acknowledging lines never indexed
            Resume first = open();
            running = true;
            threads = Executors.newFixedThreadPool(properties.threads(), runnable -> {
                Thread worker = new Thread(runnable, "log-indexer-worker");
                worker.setDaemon(true);
                return worker;
            });
            thread = new Thread(() -> run(first), "log-indexer");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void stop() {
        Thread stopping;
        ExecutorService stoppingThreads;
        synchronized (lifecycle) {
            running = false;
            stopping = thread;
            stoppingThreads = threads;
            thread = null;
            threads = null;
        }
        if (stopping != null) {
            // no interrupt: an interrupted thread would close Lucene's file channels under it; the loop
            // notices within one poll interval
            try {
                stopping.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (stoppingThreads != null) {
            stoppingThreads.shutdown();
        }
    }

    /** Stops as a crash would: no last commit, so what was not committed is replayed at the next start. */
    void halt() {
        halted = true;
        stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Drops the whole index and builds it again from the start of the event store. */
    public void rebuild() throws IOException {
        synchronized (lifecycle) {
            stop();
            index.destroy();
            start();
        }
    }

    /** Why indexing fails, since when: each new try failed since then (the health endpoint shows it). */
    record Failure(Instant since, String error) {
    }

    /** The position of the last deletion that waited for writes still open, -1 before any. */
    long deletionWaitedFor() {
        return deletionWaitedFor;
    }

    /** Null while indexing works. */
    Failure failure() {
        return failure;
    }

    /** Where to resume from, once the index is open. */
    private record Resume(TrackingToken from) {
    }

    private Resume open() {
        try {
            return new Resume(index.open());
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw new IllegalStateException("cannot open the log index in " + properties.dir().toAbsolutePath()
                    + " (osprey.logs.index.dir; each query-side node needs its own, writable): " + e, e);
        }
    }

    /**
     * Started before the web server (Spring Boot's is at {@code DEFAULT_PHASE - 2048}), so that a node whose index
     * cannot open never takes a request, and stopped after it, so that a clean shutdown commits what was served.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void run(Resume first) {
        Duration backoff = Duration.ofMillis(100);
        Resume opened = first;
        while (running) {
            try {
                TrackingToken resumeFrom = opened != null ? opened.from() : index.open();
                opened = null;
                if (aheadOfTheEventStore(resumeFrom) || builtWithAnotherAnalyzer()) {
                    index.destroy();
                    resumeFrom = index.open();
                }
                BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(resumeFrom);
                backoff = Duration.ofMillis(100);
                index(stream, resumeFrom); // closes the stream
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception | OutOfMemoryError e) {
                // an OutOfMemoryError (a large request elsewhere holding the heap) ended this thread, and indexing, for
                // good: Lucene's writer is closed by it, and this resumes from the last commit like any failure
                if (running) {
                    Failure before = failure;
                    failure = new Failure(before == null ? Instant.now() : before.since(), e.toString());
                    log.warn("log indexing failed, resuming from the last commit in {}", backoff, e);
                }
            }
            closeQuietly();
            if (running) {
                // open again at once, from what is committed: searches answer from it while the indexer waits (a
                // database that came back would otherwise leave them 503 for up to the backoff)
                opened = reopen();
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        if (opened != null) {
            closeQuietly(); // stopped while waiting: nothing was written since it opened
        }
    }

    /** Null when the directory cannot be opened now: the next round tries again. */
    private Resume reopen() {
        try {
            return new Resume(index.open());
        } catch (IOException | RuntimeException e) {
            log.warn("reopening the log index failed; trying again after the backoff", e);
            closeQuietly();
            return null;
        }
    }

    /**
     * An index that has read further than the event store holds was built from another one (a database restored
     * from an older backup, or a data directory moved to another store): it holds lines the store does not, and
     * reading on from its token would skip every event the store appends until it passes there (and hold up every
     * other processor reading the store's head with it). It is rebuilt.
     */
    private boolean aheadOfTheEventStore(TrackingToken resumeFrom) {
        long indexed = resumeFrom == null ? -1 : resumeFrom.position().orElse(-1);
        long stored = head.getAsLong();
        if (indexed <= stored) {
            return false;
        }
        log.warn("the log index has read up to position {}, past the event store's last one, {}: it was built from "
                + "another event store; rebuilding it", indexed, stored);
        return true;
    }

    private boolean builtWithAnotherAnalyzer() throws IOException {
        if (!index.builtWithAnotherAnalyzer()) {
            return false;
        }
        log.info("the log index was built with another analysis of messages than this version's ({}); rebuilding it"
                + " from the event store (searches find the lines indexed so far meanwhile)", LogAnalyzer.VERSION);
        return true;
    }

    /** Indexes what the stream reads, on one opened from the same place after a deletion waited; closes the stream. */
    private void index(BlockingStream<TrackedEventMessage<?>> opened, TrackingToken resumeFrom) throws Exception {
        BlockingStream<TrackedEventMessage<?>> stream = opened;
        long refreshNanos = properties.refreshInterval().toNanos();
        long commitNanos = properties.commitInterval().toNanos();
        long pollMillis = Math.max(1, Math.min(50, properties.refreshInterval().toMillis()));
        TrackingToken applied = resumeFrom;
        TrackingToken refreshed = resumeFrom;
        TrackingToken committed = resumeFrom;
        long lastRefresh = System.nanoTime();
        long lastCommit = lastRefresh;
        try {
            while (running) {
                if (stream.hasNextAvailable((int) pollMillis, TimeUnit.MILLISECONDS)) {
                    List<TrackedEventMessage<?>> events = new ArrayList<>();
                    do {
                        events.add(stream.nextAvailable());
                    } while (events.size() < MAX_EVENTS_PER_BATCH && stream.hasNextAvailable());
                    int deletion = deletionBehindOpenGaps(events, applied);
                    List<TrackedEventMessage<?>> now = deletion < 0 ? events : events.subList(0, deletion);
                    if (!now.isEmpty()) {
                        index.applyAll(now, threads);
                        applied = now.get(now.size() - 1).trackingToken();
                    }
                    if (deletion >= 0) {
                        long position = LogIndex.globalIndex(applied, events.get(deletion).trackingToken());
                        awaitWritesBefore(position);
                        applied = applyStoredUpTo(position, applied);
                        stream.close();
                        stream = eventStore.openStream(applied);
                    }
                }
                long now = System.nanoTime();
                if (applied != refreshed && (hurry || now - lastRefresh >= refreshNanos)) {
                    hurry = false;
                    index.refresh(applied, threads);
                    refreshed = applied;
                    lastRefresh = now;
                    commits.committed();
                }
                if (applied != committed && now - lastCommit >= commitNanos) {
                    index.commit(applied);
                    committed = applied;
                    lastCommit = now;
                }
                index.closeExcessPartitions(); // also those searches opened while no event came
                failure = null;
            }
        } finally {
            stream.close();
            if (!running && !halted && applied != committed) {
                index.commit(applied); // a clean shutdown replays nothing
            }
        }
    }

    /** The first deletion that a write still open may have a lower position than, or -1. */
    private int deletionBehindOpenGaps(List<TrackedEventMessage<?>> events, TrackingToken applied) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).getPayload() instanceof LogsDeleted
                    && events.get(i).trackingToken() instanceof GapAwareTrackingToken token && !token.getGaps().isEmpty()) {
                TrackingToken previous = i == 0 ? applied : events.get(i - 1).trackingToken();
                long position = LogIndex.globalIndex(previous, token);
                if (position != deletionWaitedFor && !token.getGaps().headSet(position).isEmpty()) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Applies the events after {@code applied} up to the position, read from the storage in position order (those
     * filling gaps of {@code applied} first, the deletion too when it filled one); returns the token of the last one.
     */
    private TrackingToken applyStoredUpTo(long position, TrackingToken applied) throws IOException {
        List<TrackedEventMessage<?>> inOrder = new ArrayList<>();
        try (Stream<? extends TrackedEventMessage<?>> stored = storage.readEvents(applied)) {
            TrackingToken previous = applied;
            for (Iterator<? extends TrackedEventMessage<?>> events = stored.iterator(); events.hasNext(); ) {
                TrackedEventMessage<?> event = events.next();
                if (LogIndex.globalIndex(previous, event.trackingToken()) > position) {
                    break;
                }
                inOrder.add(event);
                previous = event.trackingToken();
            }
        }
        if (inOrder.isEmpty()) {
            return applied;
        }
        index.applyAll(inOrder, threads);
        return inOrder.get(inOrder.size() - 1).trackingToken();
    }

    /**
     * Waits until no write begun before now is open: one that took a position below the deletion's took it before the
     * deletion's, so before now. At most the gap timeout, after which readers give up on a gap anyway.
     */
    private void awaitWritesBefore(long deletionPosition) {
        deletionWaitedFor = deletionPosition;
        Instant mark = openWrites.now();
        if (mark == null) {
            return;
        }
        long deadline = System.nanoTime() + gapTimeout.toNanos();
        while (running && System.nanoTime() < deadline && openWrites.openSince(mark)) {
            pause(OPEN_WRITES_POLL);
        }
    }

    private void closeQuietly() {
        try {
            index.close();
        } catch (IOException e) {
            log.warn("closing the log index failed", e);
        }
    }

    private void pause(Duration backoff) {
        try {
            TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
