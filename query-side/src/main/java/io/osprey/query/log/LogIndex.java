package io.osprey.query.log;

import io.osprey.events.log.LogBatchAppended;
import io.osprey.events.log.LogBatchCodec;
import io.osprey.events.log.LogLine;
import io.osprey.events.log.LogsDeleted;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The log index of this query-side node: one {@link LogPartition} per tenant and day under
 * {@code root/{tenant}/{yyyy-MM-dd}}, and a {@link LogCheckpoint}. Events are applied by one thread (the
 * indexer); searches read the partitions concurrently.
 *
 * <p>A line dated further than the day-partition window from the middle of its batch (halfway between its first and
 * last dates) goes into its tenant's one partition of such lines, {@code root/{tenant}/other-days}, searched with
 * every window: lines of any date are valid, and one batch of lines a day apart opened thousands of day partitions
 * (each an open writer and reader) and ran the node out of memory for good. The choice depends on the event alone, so
 * a replay puts every line where it went before.
 *
 * <p>At most {@code maxOpenPartitions} partitions stay open: past that, the least recently used are committed and
 * closed between batches, and open again when a search or an event needs them.
 */
final class LogIndex implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(LogIndex.class);
    /** Not a tenant name: a tenant's first character is a letter, a digit, '_' or '-'. */
    private static final String CHECKPOINT = ".checkpoint";
    /** Where the checkpoint was kept before, which tenant {@code _checkpoint} could take. */
    private static final String OLD_CHECKPOINT = "_checkpoint";
    /** A tenant's partition of lines far from the middle of their batch; not a date, so no day's directory. */
    static final String OTHER_DAYS = "other-days";
    /** The partition day of a line of other days: no line's, as lines lie within the years 0000-9999. */
    private static final long OTHER_DAYS_DAY = Long.MIN_VALUE;

    private final Path root;
    private final LogCheckpoint.TokenCodec tokens;
    /** The indexing buffers of all partitions together. */
    private final double ramBufferMb;
    /** Threads adding lines: each has a buffer of its own in a partition it adds to. */
    private final int writerThreads;
    /** How many days from its batch's middle day a line may lie and still go into its day's partition. */
    private final long dayWindowDays;
    private final int maxOpenPartitions;
    private final AtomicInteger openPartitions = new AtomicInteger();
    private final LogAnalyzer analyzer = new LogAnalyzer();
    private final NavigableMap<PartitionKey, LogPartition> partitions = new ConcurrentSkipListMap<>();
    private LogCheckpoint checkpoint;
    /** False from a close to the next open: searches then are refused instead of finding no partition. */
    private volatile boolean available;
    private volatile TrackingToken searchable;
    /** The token of the last event applied (or resumed from): the one before each event tells its own global index. */
    private TrackingToken lastApplied;

    LogIndex(Path root, LogCheckpoint.TokenCodec tokens, double ramBufferMb, int writerThreads, long dayWindowDays,
             int maxOpenPartitions) {
        this.root = root;
        this.tokens = tokens;
        this.ramBufferMb = ramBufferMb;
        this.writerThreads = writerThreads;
        this.dayWindowDays = dayWindowDays;
        this.maxOpenPartitions = maxOpenPartitions;
    }

    /**
     * Opens the checkpoint and finds the partitions on disk (each opens when first used); returns the token to resume
     * from (null: from the start of the event store).
     */
    TrackingToken open() throws IOException {
        Files.createDirectories(root);
        moveOldCheckpoint();
        checkpoint = new LogCheckpoint(root.resolve(CHECKPOINT), tokens);
        try (Stream<Path> tenants = Files.list(root)) {
            for (Path tenantDir : tenants.filter(Files::isDirectory).filter(LogIndex::isTenant).toList()) {
                try (Stream<Path> days = Files.list(tenantDir)) {
                    for (Path dayDir : days.filter(Files::isDirectory).toList()) {
                        String name = dayDir.getFileName().toString();
                        LocalDate day = name.equals(OTHER_DAYS) ? null : LocalDate.parse(name);
                        String tenant = tenantDir.getFileName().toString();
                        partitions.put(new PartitionKey(tenant, day), newPartition(tenant, day));
                    }
                }
            }
        }
        TrackingToken resumeFrom = checkpoint.token();
        searchable = resumeFrom;
        lastApplied = resumeFrom;
        available = true;
        return resumeFrom;
    }

    /**
     * Whether the open index holds terms of another analysis than this node's ({@link LogAnalyzer#VERSION}): its
     * checkpoint says another (or none: it was written before versions), or, before any checkpoint, a partition does.
     */
    boolean builtWithAnotherAnalyzer() throws IOException {
        if (checkpoint.exists()) {
            return !LogAnalyzer.VERSION.equals(checkpoint.analyzer());
        }
        for (LogPartition partition : partitions.values()) {
            if (!LogAnalyzer.VERSION.equals(partition.committedAnalyzer())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTenant(Path dir) {
        return !dir.getFileName().toString().startsWith(".");
    }

    /**
     * An index written before the checkpoint had a name of its own keeps it in {@code _checkpoint}: its files move to
     * {@code .checkpoint}; day directories there, of a tenant {@code _checkpoint}, stay as that tenant's partitions.
     */
    private void moveOldCheckpoint() throws IOException {
        Path old = root.resolve(OLD_CHECKPOINT);
        Path current = root.resolve(CHECKPOINT);
        if (Files.exists(current) || !Files.isDirectory(old)) {
            return;
        }
        Path moving = root.resolve(CHECKPOINT + ".moving");
        Files.createDirectories(moving);
        try (Stream<Path> entries = Files.list(old)) {
            for (Path file : entries.filter(Files::isRegularFile).toList()) {
                Files.move(file, moving.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(moving, current, StandardCopyOption.ATOMIC_MOVE); // a crash before this moves the rest next time
        log.info("moved the log index checkpoint from {} to {}", old, current);
    }

    /** Adds or deletes the lines an event carries; other events are not about logs. */
    void apply(TrackedEventMessage<?> event) throws IOException {
        applyAll(List.of(event), null);
    }

    /**
     * Applies events in their order, the batches between two deletions in parallel on the given threads
     * (null: this thread): lines of different batches may be added in any order, a deletion only after
     * the lines before it and before the lines after it.
     */
    void applyAll(List<? extends TrackedEventMessage<?>> events, ExecutorService threads) throws IOException {
        List<Callable<Void>> appends = new ArrayList<>();
        for (TrackedEventMessage<?> event : events) {
            Object payload = event.getPayload();
            long globalIndex = globalIndex(lastApplied, event.trackingToken());
            TrackingToken before = lastApplied;
            lastApplied = event.trackingToken();
            if (payload instanceof LogBatchAppended batch) {
                appends.add(() -> {
                    append(batch, globalIndex, event.trackingToken());
                    return null;
                });
            } else if (payload instanceof LogsDeleted deleted) {
                run(appends, threads);
                appends.clear();
                delete(deleted, globalIndex, event.trackingToken(), before);
            }
        }
        run(appends, threads);
        flushOverBudget(threads);
        closeExcessPartitions();
    }

    /**
     * Commits and closes the least recently used partitions while more than {@code maxOpenPartitions} are open.
     * Between batches only, on the indexer's thread: every event applied so far is then in every partition, so the
     * last one's token is what each is complete up to.
     */
    void closeExcessPartitions() throws IOException {
        closeExcess(lastApplied);
    }

    /** {@code appliedEverywhere}: a token every partition holds every earlier event of (null: none applied yet). */
    private void closeExcess(TrackingToken appliedEverywhere) throws IOException {
        int excess = openPartitions.get() - maxOpenPartitions;
        if (excess <= 0) {
            return;
        }
        // when each was last used, read once: searches change it while the list is sorted. Those with nothing to
        // commit go first: closing one costs no fsync (searches open many, the indexer writes to few)
        record Use(boolean changed, long lastUsedNanos) {
        }
        Map<LogPartition, Use> open = new HashMap<>();
        for (LogPartition partition : partitions.values()) {
            if (partition.isOpen()) {
                open.put(partition, new Use(partition.changedSinceCommit(), partition.lastUsedNanos()));
            }
        }
        List<LogPartition> leastRecentlyUsed = new ArrayList<>(open.keySet());
        leastRecentlyUsed.sort(Comparator.comparing((LogPartition partition) -> open.get(partition).changed())
                .thenComparingLong(partition -> open.get(partition).lastUsedNanos()));
        Map<String, String> data = appliedEverywhere == null ? Map.of() : tokens.write(appliedEverywhere);
        for (LogPartition partition : leastRecentlyUsed.subList(0, Math.min(excess, leastRecentlyUsed.size()))) {
            // without a token (a deletion is the first event this index applies), a changed partition stays open
            if (appliedEverywhere != null || !partition.changedSinceCommit()) {
                partition.closeCommitted(data, appliedEverywhere);
            }
        }
    }

    /**
     * Keeps the partitions' indexing buffers within one budget for the node: a tenant and a day each have a
     * writer, and each buffering up to the budget would multiply the heap by the days and tenants being written.
     * Past the budget, the largest buffers are written as segments first. Runs between batches, when no line is added.
     */
    private void flushOverBudget(ExecutorService threads) throws IOException {
        long budget = (long) (ramBufferMb * 1024 * 1024);
        List<LogPartition> all = new ArrayList<>(partitions.values());
        long total = 0;
        for (LogPartition partition : all) {
            total += partition.bufferedBytes();
        }
        if (total <= budget) {
            return;
        }
        all.sort(Comparator.comparingLong(LogPartition::bufferedBytes).reversed());
        List<LogPartition> largest = new ArrayList<>();
        for (LogPartition partition : all) {
            if (total <= budget) {
                break;
            }
            largest.add(partition);
            total -= partition.bufferedBytes();
        }
        flush(largest, threads);
    }

    /**
     * Writes the partitions' buffers as segments. On the given threads several buffers are written at once (a
     * partition has one per thread that added to it); without threads, one after the other on this one.
     */
    private void flush(List<LogPartition> toFlush, ExecutorService threads) throws IOException {
        if (threads == null) {
            for (LogPartition partition : toFlush) {
                partition.flush();
            }
            return;
        }
        List<Callable<Void>> flushes = new ArrayList<>();
        for (LogPartition partition : toFlush) {
            for (int i = 0; i < writerThreads; i++) {
                flushes.add(() -> {
                    while (partition.flushNextBuffer()) {
                        // until no buffer of this partition is left that another task has not taken
                    }
                    return null;
                });
            }
        }
        run(flushes, threads);
    }

    private static void run(List<Callable<Void>> tasks, ExecutorService threads) throws IOException {
        if (threads == null || tasks.size() < 2) {
            for (Callable<Void> task : tasks) {
                call(task);
            }
            return;
        }
        try {
            for (Future<Void> done : threads.invokeAll(tasks)) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while indexing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("a log indexing task failed", e.getCause());
        }
    }

    private static void call(Callable<Void> task) throws IOException {
        try {
            task.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The event's own place in the event store, which its lines' sequence numbers start from. A gap-aware token's
     * position is the highest index seen, which an event filling an earlier gap (a transaction that committed after
     * later ones) leaves as it is: that event's index is the gap it closed, the highest one the token no longer
     * holds (any other it dropped lies further back than the token keeps gaps).
     */
    static long globalIndex(TrackingToken previous, TrackingToken token) {
        if (token instanceof GapAwareTrackingToken next && previous instanceof GapAwareTrackingToken before
                && next.getIndex() == before.getIndex()) {
            SortedSet<Long> closed = new TreeSet<>(before.getGaps());
            closed.removeAll(next.getGaps());
            if (!closed.isEmpty()) {
                return closed.last();
            }
        }
        return token.position().orElseThrow();
    }

    private void append(LogBatchAppended batch, long position, TrackingToken token) throws IOException {
        List<LogLine> lines = LogBatchCodec.decode(batch.encodedLines());
        long middleDay = Math.floorDiv(Math.floorDiv(batch.minTimestamp().getEpochSecond(), 2)
                + Math.floorDiv(batch.maxTimestamp().getEpochSecond(), 2), 86_400L);
        LineDocument document = new LineDocument();
        int runStart = 0;
        while (runStart < lines.size()) {
            long epochDay = partitionDay(lines.get(runStart), middleDay);
            int runEnd = runStart + 1;
            while (runEnd < lines.size() && partitionDay(lines.get(runEnd), middleDay) == epochDay) {
                runEnd++;
            }
            LogPartition partition = partition(batch.tenant(), epochDay == OTHER_DAYS_DAY ? null : LocalDate.ofEpochDay(epochDay));
            if (!partition.holds(position, token)) {
                // a run of one day's lines goes in with one call: the writer takes its locks and checks its buffer once
                partition.addAll(LineDocument.run(lines, runStart, runEnd, position, document));
            }
            runStart = runEnd;
        }
    }

    /** The epoch day of the line's partition, {@link #OTHER_DAYS_DAY} when it lies outside the day-partition window. */
    private long partitionDay(LogLine line, long middleDay) {
        long epochDay = Math.floorDiv(line.timestamp().getEpochSecond(), 86_400L);
        return Math.abs(epochDay - middleDay) <= dayWindowDays ? epochDay : OTHER_DAYS_DAY;
    }

    /**
     * Deletes from every partition of the tenant the deletion may concern; {@code before} is the token of the event
     * before it. A deletion by execution opens each of the tenant's days in turn: the ones it opened are closed again
     * as it goes, committed as of the event before (deleting again on replay deletes nothing more). It takes the lines
     * of events before its own position only: one whose transaction committed late comes after events of later
     * positions, which a rebuild, reading in position order, applies after it.
     */
    private void delete(LogsDeleted deleted, long position, TrackingToken token, TrackingToken before) throws IOException {
        boolean late = before != null && position < before.position().orElse(-1);
        boolean onlyByAge = !late && deleted.before() != null && deleted.executionId() == null && deleted.taskId() == null
                && deleted.taskRunId() == null && deleted.attemptNumber() == null && deleted.namespace() == null
                && deleted.flowId() == null && deleted.levels() == null;
        for (LogPartition partition : tenantPartitions(deleted.tenant())) {
            Instant dayStart = partition.day() == null ? Instant.MIN : partition.day().atStartOfDay(ZoneOffset.UTC).toInstant();
            if (deleted.before() != null && !dayStart.isBefore(deleted.before()) || partition.holds(position, token)) {
                continue;
            }
            // a whole day goes at once; the partition of other days holds any date: its lines go by the filter
            if (onlyByAge && partition.day() != null && !dayStart.plusSeconds(86_400).isAfter(deleted.before())) {
                drop(partition);
            } else {
                partition.delete(new LogFilters()
                        .exact(LogFields.EXECUTION_ID, deleted.executionId())
                        .exact(LogFields.TASK_ID, deleted.taskId())
                        .exact(LogFields.TASK_RUN_ID, deleted.taskRunId())
                        .attempt(deleted.attemptNumber())
                        .namespace(deleted.namespace())
                        .exact(LogFields.FLOW_ID, deleted.flowId())
                        .levels(deleted.levels())
                        .time(null, deleted.before())
                        .upToSeq(LogFields.seq(position, 0) - 1)
                        .build());
            }
            closeExcess(before);
        }
    }

    /** Retention: a whole day goes at once. If we crash before the next checkpoint, replay drops it again. */
    private void drop(LogPartition partition) throws IOException {
        partitions.remove(new PartitionKey(partition.tenant(), partition.day()));
        partition.close();
        try (Stream<Path> files = Files.walk(partition.path())) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        log.info("dropped log partition {} {}", partition.tenant(), partition.day());
    }

    /**
     * Each partition flushes by itself at half the budget, on the threads adding its lines: with the one or two
     * days being written at a time, the budget is kept without the indexer thread flushing between batches.
     */
    private double partitionBufferMb() {
        return ramBufferMb / 2;
    }

    /** Synchronized: batches applied in parallel may open the same new day at once. A null day: other days. */
    private synchronized LogPartition partition(String tenant, LocalDate day) throws IOException {
        PartitionKey key = new PartitionKey(tenant, day);
        LogPartition partition = partitions.get(key);
        if (partition == null) {
            partition = newPartition(tenant, day);
            partitions.put(key, partition);
        }
        return partition;
    }

    private LogPartition newPartition(String tenant, LocalDate day) {
        return new LogPartition(tenant, day, root.resolve(tenant).resolve(day == null ? OTHER_DAYS : day.toString()),
                partitionBufferMb(), analyzer, tokens, openPartitions);
    }

    /** How many partitions are open now (each opens when first used). */
    int openPartitions() {
        return openPartitions.get();
    }

    /** Makes everything applied so far searchable, up to this token. */
    void refresh(TrackingToken token) throws IOException {
        refresh(token, null);
    }

    /**
     * Makes everything applied so far searchable, up to this token; the changed partitions' buffers are written as
     * segments on the given threads first, several at a time (opening the searchers would write them one after the
     * other on this thread while the threads adding lines wait).
     */
    void refresh(TrackingToken token, ExecutorService threads) throws IOException {
        if (threads != null) {
            flush(partitions.values().stream().filter(LogPartition::changedSinceRefresh).toList(), threads);
        }
        for (LogPartition partition : partitions.values()) {
            partition.refresh();
        }
        searchable = token;
    }

    /** Makes everything applied so far durable, partitions first, then the checkpoint. */
    void commit(TrackingToken token) throws IOException {
        if (token == null) {
            return;
        }
        Map<String, String> data = tokens.write(token);
        for (LogPartition partition : partitions.values()) {
            partition.commit(data, token);
        }
        checkpoint.commit(data);
    }

    /** The token up to which searches see every line. */
    TrackingToken searchable() {
        return searchable;
    }

    /**
     * The tenant's partitions whose day lies within [from, to] (either may be null: unbounded), oldest first, after
     * its partition of other days when it has one (whatever the window: it holds lines of any date).
     */
    List<LogPartition> partitions(String tenant, LocalDate from, LocalDate to) {
        if (!available) {
            throw new LogIndexUnavailableException();
        }
        List<LogPartition> found = new ArrayList<>();
        LogPartition otherDays = partitions.get(new PartitionKey(tenant, null));
        if (otherDays != null) {
            found.add(otherDays);
        }
        PartitionKey low = new PartitionKey(tenant, from == null ? LocalDate.MIN : from);
        PartitionKey high = new PartitionKey(tenant, to == null ? LocalDate.MAX : to);
        found.addAll(partitions.subMap(low, true, high, true).values());
        return found;
    }

    private List<LogPartition> tenantPartitions(String tenant) {
        return partitions(tenant, null, null);
    }

    /** The UTC day of an instant, held within the days a LocalDate has (a search window may end anywhere). */
    static LocalDate dayOf(Instant instant) {
        long epochDay = Math.floorDiv(instant.getEpochSecond(), 86_400L);
        return LocalDate.ofEpochDay(Math.max(LocalDate.MIN.toEpochDay(), Math.min(LocalDate.MAX.toEpochDay(), epochDay)));
    }

    /**
     * A partition's place: by tenant, then in time order (which the text of a day outside years 0-9999 is not), the
     * partition of other days (a null day) first.
     */
    private record PartitionKey(String tenant, LocalDate day) implements Comparable<PartitionKey> {
        private static final Comparator<LocalDate> OTHER_DAYS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

        @Override
        public int compareTo(PartitionKey other) {
            int byTenant = tenant.compareTo(other.tenant);
            return byTenant != 0 ? byTenant : OTHER_DAYS_FIRST.compare(day, other.day);
        }
    }

    /** Closes everything without committing (what was not committed is replayed from the checkpoint). */
    @Override
    public void close() throws IOException {
        available = false;
        List<Closeable> all = new ArrayList<>(partitions.values());
        partitions.clear();
        if (checkpoint != null) {
            all.add(checkpoint);
            checkpoint = null;
        }
        IOException failure = null;
        for (Closeable closeable : all) {
            try {
                closeable.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Deletes the whole index, for a rebuild from the event store. */
    void destroy() throws IOException {
        close();
        if (Files.exists(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
