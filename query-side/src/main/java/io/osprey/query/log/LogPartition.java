package io.osprey.query.log;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One day of one tenant's log lines: a Lucene index of its own, so that retention drops whole days and a
 * time-bounded search opens only the days it covers. (No index sort: it slowed indexing by a third, and
 * searches sorted by time already skip non-competitive documents through the timestamp's points.) Its commits carry the tracking token they are
 * complete up to: an event that token covers is already in this partition and is skipped on replay.
 *
 * <p>Its writer and searchers are opened when first used and closed again, committed, when the index keeps too many
 * open ({@link #closeCommitted}): each holds heap, a file and a memory map per segment, and tenants times days grow
 * without bound.
 */
final class LogPartition implements Closeable {

    private final String tenant;
    private final LocalDate day;
    private final Path path;
    private final double ramBufferMb;
    /** One for the whole index: an analyzer keeps its tokenizer's buffers for each thread that used it. */
    private final Analyzer analyzer;
    private final LogCheckpoint.TokenCodec tokens;
    /** How many partitions of the index are open, this one included while it is. */
    private final AtomicInteger openPartitions;
    /** Null while closed; written under this partition's lock. */
    private volatile Lucene lucene;
    private boolean closedForGood;
    /** The token of the last commit; read when first opened. */
    private volatile TrackingToken committed;
    private volatile boolean committedKnown;
    private volatile long lastUsedNanos;
    // set by the threads adding lines, cleared by the indexer thread between batches
    private volatile boolean changedSinceCommit;
    private volatile boolean changedSinceRefresh;

    /** The open Lucene index: its directory, writer and near-real-time searchers. */
    private record Lucene(FSDirectory directory, IndexWriter writer, SearcherManager searchers) implements Closeable {

        /** Closes without committing: what was not committed is given up. */
        @Override
        public void close() throws IOException {
            try (directory; writer; searchers) {
                writer.rollback();
            }
        }
    }

    /** The partition at this path, created when first opened if absent; nothing is opened yet. */
    LogPartition(String tenant, LocalDate day, Path path, double ramBufferMb, Analyzer analyzer,
                 LogCheckpoint.TokenCodec tokens, AtomicInteger openPartitions) {
        this.tenant = tenant;
        this.day = day;
        this.path = path;
        this.ramBufferMb = ramBufferMb;
        this.analyzer = analyzer;
        this.tokens = tokens;
        this.openPartitions = openPartitions;
    }

    /** The open index, opened now if it was closed; refused once the partition is closed for good. */
    private synchronized Lucene lucene() throws IOException {
        if (closedForGood) {
            throw new AlreadyClosedException("log partition " + tenant + " " + (day == null ? LogIndex.OTHER_DAYS : day)
                    + " was closed");
        }
        Lucene open = lucene;
        if (open == null) {
            open = openLucene();
            lucene = open;
            openPartitions.incrementAndGet();
        }
        lastUsedNanos = System.nanoTime();
        return open;
    }

    private Lucene openLucene() throws IOException {
        FSDirectory directory = FSDirectory.open(path);
        try {
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(ramBufferMb)
                    .setCommitOnClose(false)
                    .setMergePolicy(new TieredMergePolicy());
            // two cores: one background merge at a time leaves the other to indexing and searching
            ConcurrentMergeScheduler merges = new ConcurrentMergeScheduler();
            merges.setMaxMergesAndThreads(2, 1);
            config.setMergeScheduler(merges);
            IndexWriter writer = new IndexWriter(directory, config);
            try {
                if (!committedKnown) {
                    committed = DirectoryReader.indexExists(directory) ? tokens.read(LogCheckpoint.TokenCodec.userData(writer)) : null;
                    committedKnown = true;
                }
                return new Lucene(directory, writer, new SearcherManager(writer, null));
            } catch (IOException | RuntimeException e) {
                writer.rollback();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    /** The analysis its committed lines were indexed with ({@link LogAnalyzer#VERSION}); this one's when it holds none. */
    String committedAnalyzer() throws IOException {
        try (FSDirectory committedTo = FSDirectory.open(path)) {
            if (!DirectoryReader.indexExists(committedTo)) {
                return LogAnalyzer.VERSION;
            }
            return LogCheckpoint.TokenCodec.analyzer(SegmentInfos.readLatestCommit(committedTo).getUserData());
        }
    }

    String tenant() {
        return tenant;
    }

    /** Null for the tenant's partition of other days (lines far from the middle of their batch). */
    LocalDate day() {
        return day;
    }

    Path path() {
        return path;
    }

    boolean isOpen() {
        return lucene != null;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /**
     * Whether the event at this position of the event store (its token given too) was in this partition when it last
     * committed. By position: a token of the replay after a crash may lack a gap of the commit's token (an event
     * that was being written then, read now), and Axon's {@code covers} then says no even for the events after it.
     */
    boolean holds(long position, TrackingToken event) throws IOException {
        if (!committedKnown) {
            lucene();
        }
        TrackingToken token = committed;
        if (token instanceof GapAwareTrackingToken gapAware) {
            return position <= gapAware.getIndex() && !gapAware.getGaps().contains(position);
        }
        return token != null && token.covers(event);
    }

    /** Adds the lines together; they go into one segment (Lucene keeps a block of documents together). */
    void addAll(Iterable<? extends Iterable<? extends IndexableField>> docs) throws IOException {
        lucene().writer().addDocuments(docs);
        changed();
    }

    void delete(Query query) throws IOException {
        lucene().writer().deleteDocuments(query);
        changed();
    }

    private void changed() {
        changedSinceCommit = true;
        changedSinceRefresh = true;
    }

    /** Bytes of added lines buffered in memory, not yet written as a segment. */
    long bufferedBytes() {
        Lucene open = lucene;
        return open == null ? 0 : open.writer().ramBytesUsed();
    }

    /** Writes the buffered lines as a segment (neither visible nor durable until refresh and commit). */
    void flush() throws IOException {
        Lucene open = lucene;
        if (open != null) {
            open.writer().flush();
        }
    }

    /**
     * Writes one buffer of added lines as a segment, on the calling thread; several threads calling this at once
     * write different buffers. False when there was nothing left to write.
     */
    boolean flushNextBuffer() throws IOException {
        Lucene open = lucene;
        return open != null && open.writer().flushNextBuffer();
    }

    boolean changedSinceCommit() {
        return changedSinceCommit;
    }

    boolean changedSinceRefresh() {
        return changedSinceRefresh;
    }

    /** Makes what was added visible to searches (near-real-time, before it is durable). */
    void refresh() throws IOException {
        if (changedSinceRefresh) {
            changedSinceRefresh = false;
            Lucene open = lucene;
            if (open != null) {
                open.searchers().maybeRefreshBlocking();
            }
        }
    }

    /**
     * Makes what was added durable, with the token it is complete up to; a no-op when nothing changed. Only the
     * indexer's thread commits and closes, between batches: a partition that changed is open.
     *
     * <p>What the last commit held is held still: a replay that fills a gap of that commit's token (an event that
     * committed late) comes here before the events after the gap, which must still be skipped.
     */
    void commit(Map<String, String> tokenData, TrackingToken token) throws IOException {
        if (changedSinceCommit) {
            TrackingToken before = committed;
            TrackingToken complete = before == null ? token : before.upperBound(token);
            IndexWriter writer = lucene().writer();
            writer.setLiveCommitData((complete.equals(token) ? tokenData : tokens.write(complete)).entrySet(), true);
            writer.commit();
            committed = complete;
            committedKnown = true;
            changedSinceCommit = false;
        }
    }

    /**
     * A searcher of what was last refreshed; give it back with {@link #release}. Opens the partition if it was closed,
     * which then shows everything committed.
     */
    synchronized IndexSearcher acquire() throws IOException {
        return lucene().searchers().acquire();
    }

    /** Gives a searcher back; it stays usable until then, even if its partition was closed meanwhile. */
    static void release(IndexSearcher searcher) throws IOException {
        searcher.getIndexReader().decRef();
    }

    /**
     * Commits what changed with the token it is complete up to, then closes the writer and searchers; used again, the
     * partition opens on its own. Searchers acquired before stay usable until released. The indexer's thread only.
     */
    synchronized void closeCommitted(Map<String, String> tokenData, TrackingToken token) throws IOException {
        Lucene open = lucene;
        if (open == null) {
            return;
        }
        commit(tokenData, token);
        lucene = null;
        openPartitions.decrementAndGet();
        changedSinceRefresh = false; // opened again, it shows its commit, which holds everything
        open.close();
    }

    /** Closes for good without committing: what was not committed is given up, to be replayed from the checkpoint. */
    @Override
    public synchronized void close() throws IOException {
        closedForGood = true;
        Lucene open = lucene;
        if (open != null) {
            lucene = null;
            openPartitions.decrementAndGet();
            open.close();
        }
    }
}
