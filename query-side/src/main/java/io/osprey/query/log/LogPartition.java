package io.osprey.query.log;

import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;
import org.axonframework.eventhandling.TrackingToken;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

/**
 * One day of one tenant's log lines: a Lucene index of its own, so that retention drops whole days and a
 * time-bounded search opens only the days it covers. (No index sort: it slowed indexing by a third, and
 * searches sorted by time already skip non-competitive documents through the timestamp's points.) Its commits carry the tracking token they are
 * complete up to: an event that token covers is already in this partition and is skipped on replay.
 */
final class LogPartition implements Closeable {

    private final String tenant;
    private final LocalDate day;
    private final Path path;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private TrackingToken committed;
    // set by the threads adding lines, cleared by the indexer thread between batches
    private volatile boolean changedSinceCommit;
    private volatile boolean changedSinceRefresh;

    private LogPartition(String tenant, LocalDate day, Path path, FSDirectory directory, IndexWriter writer,
                         TrackingToken committed) throws IOException {
        this.tenant = tenant;
        this.day = day;
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.committed = committed;
        this.searchers = new SearcherManager(writer, null);
    }

    /** Opens the partition at this path, creating it when absent; {@code tokens} reads a commit's token. */
    static LogPartition open(String tenant, LocalDate day, Path path, double ramBufferMb,
                             LogCheckpoint.TokenCodec tokens) throws IOException {
        FSDirectory directory = FSDirectory.open(path);
        try {
            IndexWriterConfig config = new IndexWriterConfig(new LogAnalyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(ramBufferMb)
                    .setCommitOnClose(false)
                    .setMergePolicy(new TieredMergePolicy());
            // two cores: one background merge at a time leaves the other to indexing and searching
            ConcurrentMergeScheduler merges = new ConcurrentMergeScheduler();
            merges.setMaxMergesAndThreads(2, 1);
            config.setMergeScheduler(merges);
            IndexWriter writer = new IndexWriter(directory, config);
            TrackingToken committed = null;
            if (DirectoryReader.indexExists(directory)) {
                committed = tokens.read(userData(writer));
            }
            return new LogPartition(tenant, day, path, directory, writer, committed);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    private static Map<String, String> userData(IndexWriter writer) {
        Map<String, String> data = new java.util.HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(entry -> data.put(entry.getKey(), entry.getValue()));
        }
        return data;
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

    /** Whether everything up to this event's token was already in this partition when it last committed. */
    boolean holds(TrackingToken event) {
        return committed != null && committed.covers(event);
    }

    /** Adds the lines together; they go into one segment (Lucene keeps a block of documents together). */
    void addAll(Iterable<? extends Iterable<? extends IndexableField>> docs) throws IOException {
        writer.addDocuments(docs);
        changed();
    }

    void delete(Query query) throws IOException {
        writer.deleteDocuments(query);
        changed();
    }

    private void changed() {
        changedSinceCommit = true;
        changedSinceRefresh = true;
    }

    /** Bytes of added lines buffered in memory, not yet written as a segment. */
    long bufferedBytes() {
        return writer.ramBytesUsed();
    }

    /** Writes the buffered lines as a segment (neither visible nor durable until refresh and commit). */
    void flush() throws IOException {
        writer.flush();
    }

    /**
     * Writes one buffer of added lines as a segment, on the calling thread; several threads calling this at once
     * write different buffers. False when there was nothing left to write.
     */
    boolean flushNextBuffer() throws IOException {
        return writer.flushNextBuffer();
    }

    boolean changedSinceRefresh() {
        return changedSinceRefresh;
    }

    /** Makes what was added visible to searches (near-real-time, before it is durable). */
    void refresh() throws IOException {
        if (changedSinceRefresh) {
            changedSinceRefresh = false;
            searchers.maybeRefreshBlocking();
        }
    }

    /** Makes what was added durable, with the token it is complete up to; a no-op when nothing changed. */
    void commit(Map<String, String> tokenData, TrackingToken token) throws IOException {
        if (changedSinceCommit) {
            writer.setLiveCommitData(tokenData.entrySet(), true);
            writer.commit();
            committed = token;
            changedSinceCommit = false;
        }
    }

    SearcherManager searchers() {
        return searchers;
    }

    /** Closes without committing: what was not committed is given up, to be replayed from the checkpoint. */
    @Override
    public void close() throws IOException {
        try (directory; writer; searchers) {
            writer.rollback();
        }
    }
}
