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
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
    private static final int STREAM_PAGE = 1000;

    private final LogIndex index;

    LogSearches(LogIndex index) {
        this.index = index;
    }

    LogPage search(String tenant, LogSearch search) {
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
            return new LogPage(List.of(), 0, true, null); // a cursor from before the window: nothing is left
        }
        Instant from = start;
        Instant to = end;
        Supplier<List<LogPartition>> partitions = () -> index.partitions(tenant,
                from == null ? null : LogIndex.dayOf(from), to == null ? null : LogIndex.dayOf(to));
        Query query = filters(search.namespace(), search.flowId(), search.executionId(), search.taskId(),
                search.taskRunId(), search.attempt(), search.minLevel())
                .time(from, to == null ? null : to.plusNanos(1000))
                .and(search.text() == null ? null : search.text().query())
                .build();
        Sort sort = search.newestFirst() ? LogFields.NEWEST_FIRST : LogFields.OLDEST_FIRST;
        int offset = search.cursor() == null ? (search.page() - 1) * search.size() : 0;
        int wanted = offset + search.size();
        FieldDoc after = search.cursor() == null ? null : search.cursor().fieldDoc();
        return withSearcher(partitions, search.newestFirst(), searcher -> {
            if (search.text() != null) {
                refuseBroadPrefixes(searcher.getIndexReader(), search.text().prefixes());
            }
            TopFieldDocs top = searcher.search(query, new TopFieldCollectorManager(sort, wanted, after, COUNT_LIMIT));
            ScoreDoc[] hits = top.scoreDocs;
            List<LogEntryView> results = new ArrayList<>(Math.max(0, hits.length - offset));
            for (int i = offset; i < hits.length; i++) {
                results.add(LogEntryView.of(tenant, LogFields.line(searcher.getIndexReader(), hits[i].doc)));
            }
            String next = hits.length == wanted && hits.length > 0
                    ? LogCursor.after(search.newestFirst(), (FieldDoc) hits[hits.length - 1]).encode() : null;
            return new LogPage(results, top.totalHits.value, top.totalHits.relation == TotalHits.Relation.EQUAL_TO, next);
        });
    }

    /** Every line matching, oldest first, page by page so that memory stays flat however many there are. */
    void stream(String tenant, Query query, LineSink sink) throws IOException {
        FieldDoc after = null;
        while (true) {
            FieldDoc resumeAfter = after;
            List<LogLine> lines = new ArrayList<>(STREAM_PAGE);
            FieldDoc last = withSearcher(() -> index.partitions(tenant, null, null), searcher -> {
                ScoreDoc[] hits = searcher.search(query,
                        new TopFieldCollectorManager(LogFields.OLDEST_FIRST, STREAM_PAGE, resumeAfter, 1)).scoreDocs;
                    for (ScoreDoc hit : hits) {
                    lines.add(LogFields.line(searcher.getIndexReader(), hit.doc));
                }
                return hits.length == 0 ? null : (FieldDoc) hits[hits.length - 1];
            });
            for (LogLine line : lines) {
                sink.accept(line);
            }
            if (lines.size() < STREAM_PAGE) {
                return;
            }
            after = last;
        }
    }

    /** Lines that came in events after {@code afterSeq} and no later than {@code upToSeq}, in ingest order. */
    List<SequencedLine> linesAfter(String tenant, Query query, long afterSeq, long upToSeq, int limit) {
        Query range = new LogFilters().afterSeq(afterSeq).upToSeq(upToSeq).and(query).build();
        return withSearcher(() -> index.partitions(tenant, null, null), searcher -> {
            ScoreDoc[] hits = searcher.search(range,
                    new TopFieldCollectorManager(LogFields.INGEST_ORDER, limit, null, 1)).scoreDocs;
            List<SequencedLine> lines = new ArrayList<>(hits.length);
            for (ScoreDoc hit : hits) {
                lines.add(new SequencedLine((Long) ((FieldDoc) hit).fields[0], LogFields.line(searcher.getIndexReader(), hit.doc)));
            }
            return lines;
        });
    }

    /**
     * The highest sequence number below which every line is searchable: events before the first gap of the
     * searchable token (a gap is a transaction that may still commit with a lower position).
     */
    long watermarkSeq() {
        TrackingToken token = index.searchable();
        long position;
        if (token instanceof GapAwareTrackingToken gapAware) {
            position = gapAware.getGaps().isEmpty() ? gapAware.getIndex() : gapAware.getGaps().first() - 1;
        } else {
            position = token == null ? -1 : token.position().orElse(-1);
        }
        return position < 0 ? -1 : LogFields.seq(position + 1, 0) - 1;
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

    private static void refuseBroadPrefixes(IndexReader reader, List<Term> prefixes) throws IOException {
        for (Term prefix : prefixes) {
            BytesRef bytes = prefix.bytes();
            int expansions = 0;
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
                    if (++expansions > MAX_PREFIX_TERMS) {
                        new Violations().add("q", "prefix-too-broad", "q prefix '" + prefix.text()
                                + "*' matches more than " + MAX_PREFIX_TERMS + " words; make it longer").throwIfAny();
                    }
                } while (enumeration.next() != null);
            }
        }
    }

    /** Runs against the partitions' current searchers, oldest segments first. */
    private <T> T withSearcher(Supplier<List<LogPartition>> partitions, SearchFunction<T> search) {
        return withSearcher(partitions, false, search);
    }

    /**
     * Runs against the partitions' current searchers; a partition dropped meanwhile (retention) means a retry.
     * Newest first, the newest segments come first: the page fills with the newest lines at once, and every older
     * segment is then skipped whole by its timestamps' points instead of replacing the page line by line.
     */
    private <T> T withSearcher(Supplier<List<LogPartition>> partitions, boolean newestSegmentsFirst,
                               SearchFunction<T> search) {
        for (int attempt = 1; ; attempt++) {
            List<LogPartition> current = partitions.get();
            List<IndexSearcher> acquired = new ArrayList<>(current.size());
            try {
                for (LogPartition partition : current) {
                    acquired.add(partition.searchers().acquire());
                }
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
            } catch (AlreadyClosedException e) {
                if (attempt == 3) {
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                release(current, acquired);
            }
        }
    }

    private static void release(List<LogPartition> partitions, List<IndexSearcher> acquired) {
        for (int i = 0; i < acquired.size(); i++) {
            try {
                partitions.get(i).searchers().release(acquired.get(i));
            } catch (IOException | AlreadyClosedException e) {
                // the partition was dropped: its readers are closed with it
            }
        }
    }

    record SequencedLine(long seq, LogLine line) {
    }

    interface LineSink {
        void accept(LogLine line) throws IOException;
    }

    private interface SearchFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }
}
