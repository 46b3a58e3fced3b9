package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Exact-field criteria, all of which a line must meet; shared by searches and deletions. */
final class LogFilters {

    private final BooleanQuery.Builder query = new BooleanQuery.Builder();
    private boolean any;

    /** A namespace and its sub-namespaces ({@code company.team} also matches {@code company.team.data}). */
    LogFilters namespace(String namespace) {
        if (namespace != null) {
            add(new TermQuery(new Term(LogFields.NAMESPACE_TREE, namespace)));
        }
        return this;
    }

    LogFilters exact(String field, String value) {
        if (value != null) {
            add(new TermQuery(new Term(field, value)));
        }
        return this;
    }

    LogFilters attempt(Integer attemptNumber) {
        return exact(LogFields.ATTEMPT, attemptNumber == null ? null : attemptNumber.toString());
    }

    LogFilters minLevel(LogLevel minimum) {
        if (minimum != null && minimum != LogLevel.TRACE) {
            levels(Arrays.stream(LogLevel.values()).filter(level -> level.atLeast(minimum)).toList());
        }
        return this;
    }

    LogFilters levels(Collection<LogLevel> levels) {
        if (levels != null) {
            List<BytesRef> terms = new ArrayList<>();
            levels.forEach(level -> terms.add(new BytesRef(level.name())));
            add(new TermInSetQuery(LogFields.LEVEL, terms));
        }
        return this;
    }

    /** Lines at or after {@code from} and strictly before {@code until}; either may be null. */
    LogFilters time(Instant from, Instant until) {
        if (from != null || until != null) {
            // lines are kept to the microsecond: the first one at or after from, the last one before until
            long lower = from == null ? Long.MIN_VALUE : microsUp(from);
            // strictly before until, without wrapping around when until is as early as a long goes
            long upper = until == null ? Long.MAX_VALUE : Math.max(microsUp(until), Long.MIN_VALUE + 1) - 1;
            // points when the time range is the most selective clause, doc values when another one leads
            add(new IndexOrDocValuesQuery(LongPoint.newRangeQuery(LogFields.TIMESTAMP, lower, upper),
                    NumericDocValuesField.newSlowRangeQuery(LogFields.TIMESTAMP, lower, upper)));
        }
        return this;
    }

    /** The instant in microseconds, rounded up: the first microsecond a line can have at or after it. */
    private static long microsUp(Instant instant) {
        long micros = LogFields.micros(instant);
        return instant.getNano() % 1000 == 0 || micros == Long.MAX_VALUE ? micros : micros + 1;
    }

    /** Lines that came in events after this position. */
    LogFilters afterSeq(long seq) {
        add(seq == Long.MAX_VALUE ? new MatchNoDocsQuery("nothing comes after the last sequence")
                : LongPoint.newRangeQuery(LogFields.SEQ, seq + 1, Long.MAX_VALUE));
        return this;
    }

    /** Lines that came in events up to this position. */
    LogFilters upToSeq(long seq) {
        add(LongPoint.newRangeQuery(LogFields.SEQ, Long.MIN_VALUE, seq));
        return this;
    }

    /**
     * The lines at a cursor's very timestamp up to the cursor's: a time bound ending at that timestamp lets them in
     * again. The timestamp's points find those few lines; their sequences are read from doc values.
     */
    static Query passedAt(LogCursor cursor) {
        long fromSeq = cursor.newestFirst() ? cursor.seq() : Long.MIN_VALUE;
        long toSeq = cursor.newestFirst() ? Long.MAX_VALUE : cursor.seq();
        return new BooleanQuery.Builder()
                .add(LongPoint.newExactQuery(LogFields.TIMESTAMP, cursor.timestampMicros()), BooleanClause.Occur.FILTER)
                .add(NumericDocValuesField.newSlowRangeQuery(LogFields.SEQ, fromSeq, toSeq), BooleanClause.Occur.FILTER)
                .build();
    }

    LogFilters and(Query text) {
        if (text != null) {
            query.add(text, BooleanClause.Occur.MUST);
            any = true;
        }
        return this;
    }

    private void add(Query filter) {
        query.add(filter, BooleanClause.Occur.FILTER);
        any = true;
    }

    Query build() {
        return any ? query.build() : new MatchAllDocsQuery();
    }
}
