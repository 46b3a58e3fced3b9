package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import io.osprey.events.validation.Violations;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;
import org.axonframework.eventhandling.TrackingToken;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Searches over the day partitions a request needs, as one multi-reader: sorted by time (and ingest order
 * for ties) so that searches sorted like the index stop early, paged by offset up to a window and by
 * cursor beyond.
 */
public final class LogSearches {

    /** Matches counted exactly up to this many; beyond it the total is a lower bound. */
    static final int COUNT_LIMIT = 1000;
    /** Offset paging reaches this deep; deeper pages use the cursor. */
    static final int MAX_WINDOW = 10_000;
    static final int MAX_PREFIX_TERMS = 1024;
    /** Lines read from the index at once, at most, by the reads that go through every match... */
    private static final int READ_LINES = 1000;
    /** ...and characters of text: a thousand lines of long messages would be tens of megabytes. */
    private static final int READ_CHARS = 1 << 20;

    private final LogIndex index;
    private final GapWatermark watermark;

    LogSearches(LogIndex index, GapWatermark watermark) {
        this.index = index;
        this.watermark = watermark;
    }

    /**
     * Finds a page and hands it to {@code reader} while the searcher is held, so that its lines are read one at a
     * time as they are written out: a page of long messages is never held whole.
     */
    void search(String tenant, LogSearch search, PageReader reader) throws IOException {
        // a cursor bounds the time too: the days before it (or after it) are all that is left to search
        Instant start = search.startDate();
        Instant end = search.endDate();
        if (search.cursor() != null) {
            Instant at = search.cursor().timestamp();
            if (search.newestFirst()) {
                end = end == null || at.isBefore(end) ? at : end;
            } else {
                start = start == null || at.isAfter(start) ? at : start;
            }
        }
        if (start != null && end != null && start.isAfter(end)) {
            reader.read(new FoundPage(0, true, null, sink -> { })); // a cursor from before the window: nothing is left
            return;
        }
        Instant from = start;
        Instant to = end;
        Supplier<List<LogPartition>> partitions = () -> index.partitions(tenant,
                from == null ? null : LogIndex.dayOf(from), to == null ? null : LogIndex.dayOf(to));
        Query query = filters(search.namespace(), search.flowId(), search.executionId(), search.taskId(),
                search.taskRunId(), search.attempt(), search.minLevel())
                .time(from, to == null || to.equals(Instant.MAX) ? null : to.plusNanos(1)) // the end is inclusive
                .and(search.text() == null ? null : search.text().query())
                .build();
        Sort sort = search.newestFirst() ? LogFields.NEWEST_FIRST : LogFields.OLDEST_FIRST;
        int offset = search.cursor() == null ? (search.page() - 1) * search.size() : 0;
        int wanted = offset + search.size();
        FieldDoc after = search.cursor() == null ? null : search.cursor().fieldDoc();
        withSearcher(partitions, search.newestFirst(), searcher -> {
            if (search.text() != null) {
                refuseBroadPrefixes(searcher.getIndexReader(), search.text().prefixes());
            }
            // one more than the page, so that a page that ends the results says so instead of leading to an empty one
            TopFieldDocs top = searcher.search(query, new TopFieldCollectorManager(sort, wanted + 1, after, COUNT_LIMIT));
            // the count takes in the lines at the cursor's own instant that earlier pages showed (the cursor's line at
            // least): a page's total is what is left
            long seenBefore = search.cursor() == null ? 0 : searcher.count(new BooleanQuery.Builder()
                    .add(query, BooleanClause.Occur.FILTER)
                    .add(LogFilters.passedAt(search.cursor()), BooleanClause.Occur.FILTER).build());
            ScoreDoc[] hits = top.scoreDocs;
            int shown = Math.min(hits.length, wanted);
            String next = hits.length > wanted
                    ? LogCursor.after(search.newestFirst(), (FieldDoc) hits[wanted - 1]).encode() : null;
            reader.read(new FoundPage(Math.max(0, top.totalHits.value - seenBefore), top.totalHits.relation == TotalHits.Relation.EQUAL_TO, next,
                    sink -> {
                        for (int i = offset; i < shown; i++) {
                            sink.accept(LogFields.line(searcher.getIndexReader(), hits[i].doc));
                        }
                    }));
            return null;
        });
    }

    /** Every line matching, oldest first, read a bounded page at a time so that memory stays flat however many. */
    void stream(String tenant, Query query, LineSink sink) throws IOException {
        forEachInOrder(() -> index.partitions(tenant, null, null), query, LogFields.OLDEST_FIRST,
                (hit, line) -> sink.accept(line));
    }

    /** Lines that came in events after {@code afterSeq} and no later than {@code upToSeq}, in ingest order. */
    void linesAfter(String tenant, Query query, long afterSeq, long upToSeq, SequencedLineSink sink) throws IOException {
        Query range = new LogFilters().afterSeq(afterSeq).upToSeq(upToSeq).and(query).build();
        forEachInOrder(() -> index.partitions(tenant, null, null), range, LogFields.INGEST_ORDER,
                (hit, line) -> sink.accept((Long) hit.fields[0], line));
    }

    /**
     * Every hit of the query in this order (which must tell any two lines apart), read at most {@value #READ_LINES}
     * lines or {@value #READ_CHARS} characters of text at a time; the sink runs with no searcher held.
     */
    private void forEachInOrder(Supplier<List<LogPartition>> partitions, Query query, Sort order, HitSink sink)
            throws IOException {
        FieldDoc after = null;
        while (true) {
            FieldDoc resumeAfter = after;
            List<FieldDoc> hits = new ArrayList<>();
            List<LogLine> lines = new ArrayList<>();
            boolean more = withSearcher(partitions, false, searcher -> {
                ScoreDoc[] page = searcher.search(query,
                        new TopFieldCollectorManager(order, READ_LINES, resumeAfter, 1)).scoreDocs;
                long chars = 0;
                for (ScoreDoc hit : page) {
                    LogLine line = LogFields.line(searcher.getIndexReader(), hit.doc);
                    hits.add((FieldDoc) hit);
                    lines.add(line);
                    chars += line.textLength();
                    if (chars >= READ_CHARS) {
                        return true;
                    }
                }
                return page.length == READ_LINES;
            });
            for (int i = 0; i < lines.size(); i++) {
                sink.accept(hits.get(i), lines.get(i));
            }
            if (!more || lines.isEmpty()) {
                return;
            }
            after = LogFields.strictlyAfter(hits.get(hits.size() - 1).fields);
        }
    }

    /**
     * The highest sequence number below which every line is searchable: lines of events before the first gap of the
     * searchable token that may still be filled ({@link GapWatermark}).
     */
    long watermarkSeq() {
        long position = watermark.of(index.searchable());
        return position < 0 ? -1 : LogFields.seq(position + 1, 0) - 1;
    }

    /** Whether a gap that may still be filled holds the watermark below what is searchable. */
    boolean heldBackByAGap() {
        TrackingToken searchable = index.searchable();
        return searchable != null && watermark.of(searchable) < searchable.position().orElse(-1);
    }

    static LogFilters filters(String namespace, String flowId, String executionId, String taskId, String taskRunId,
                              Integer attempt, LogLevel minLevel) {
        return new LogFilters()
                .namespace(namespace)
                .exact(LogFields.FLOW_ID, flowId)
                .exact(LogFields.EXECUTION_ID, executionId)
                .exact(LogFields.TASK_ID, taskId)
                .exact(LogFields.TASK_RUN_ID, taskRunId)
                .attempt(attempt)
                .minLevel(minLevel);
    }

    /** Refuses a prefix that matches more than {@value #MAX_PREFIX_TERMS} distinct words in the partitions searched. */
    private static void refuseBroadPrefixes(IndexReader reader, List<Term> prefixes) throws IOException {
        for (Term prefix : prefixes) {
            BytesRef bytes = prefix.bytes();
            // a word is in every segment and day that holds it: counted once
            Set<BytesRef> words = new HashSet<>();
            for (LeafReaderContext leaf : reader.leaves()) {
                Terms terms = leaf.reader().terms(LogFields.MESSAGE);
                if (terms == null) {
                    continue;
                }
                TermsEnum enumeration = terms.iterator();
                if (enumeration.seekCeil(bytes) == TermsEnum.SeekStatus.END) {
                    continue;
                }
                do {
                    if (!StringHelper.startsWith(enumeration.term(), bytes)) {
                        break;
                    }
                    if (words.add(BytesRef.deepCopyOf(enumeration.term())) && words.size() > MAX_PREFIX_TERMS) {
                        new Violations().add("q", "prefix-too-broad", "q prefix '" + prefix.text()
                                + "*' matches more than " + MAX_PREFIX_TERMS + " words; make it longer").throwIfAny();
                    }
                } while (enumeration.next() != null);
            }
        }
    }

    /**
     * Runs against the partitions' current searchers; a partition dropped meanwhile (retention) means a new try.
     * Newest first, the newest segments come first: the page fills with the newest lines at once, and every older
     * segment is then skipped whole by its timestamps' points instead of replacing the page line by line.
     */
    private <T> T withSearcher(Supplier<List<LogPartition>> partitions, boolean newestSegmentsFirst,
                               SearchFunction<T> search) throws IOException {
        for (int attempt = 1; ; attempt++) {
            List<LogPartition> current = partitions.get();
            List<IndexSearcher> acquired = new ArrayList<>(current.size());
            try {
                try {
                    for (LogPartition partition : current) {
                        acquired.add(partition.acquire());
                    }
                } catch (AlreadyClosedException dropped) {
                    if (attempt == 3) {
                        throw new LogIndexUnavailableException(); // closed each time: the index is reopening
                    }
                    continue;
                }
                // acquired readers stay open however the partitions change: no new try past this point, where
                // part of a reply may already be written
                List<IndexReader> segments = new ArrayList<>();
                for (IndexSearcher partition : acquired) {
                    partition.getIndexReader().leaves().forEach(leaf -> segments.add(leaf.reader()));
                }
                if (newestSegmentsFirst) {
                    Collections.reverse(segments);
                }
                try (MultiReader reader = new MultiReader(segments.toArray(IndexReader[]::new), false)) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    // no filter cache: near-real-time segments come and go, and caching ran on the query's own thread
                    searcher.setQueryCache(null);
                    return search.apply(searcher);
                }
            } finally {
                release(acquired);
            }
        }
    }

    private static void release(List<IndexSearcher> acquired) {
        for (IndexSearcher searcher : acquired) {
            try {
                LogPartition.release(searcher);
            } catch (IOException | AlreadyClosedException e) {
                // the partition was dropped: its readers are closed with it
            }
        }
    }

    /** A page found: its count, its cursor, and its lines, each read from the index as {@code lines} hands it on. */
    record FoundPage(long total, boolean totalExact, String nextCursor, PageLines lines) {
    }

    interface PageLines {
        void forEach(LineSink sink) throws IOException;
    }

    interface PageReader {
        void read(FoundPage page) throws IOException;
    }

    interface LineSink {
        void accept(LogLine line) throws IOException;
    }

    interface SequencedLineSink {
        void accept(long seq, LogLine line) throws IOException;
    }

    private interface HitSink {
        void accept(FieldDoc hit, LogLine line) throws IOException;
    }

    private interface SearchFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }
}
