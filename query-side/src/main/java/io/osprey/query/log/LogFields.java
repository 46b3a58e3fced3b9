package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;

import java.time.Instant;

/**
 * The shape of a log line in the index. Ids and level are exact terms; the timestamp is points (ranges) and
 * doc values (sort) in epoch microseconds; {@code seq} orders lines as they were ingested (the event's
 * global position, then the line's index in the event) and breaks timestamp ties, so every line has one
 * place in any order and a cursor can resume exactly after it. The tenant is the partition, not a field.
 */
final class LogFields {

    static final String NAMESPACE = "namespace";
    static final String FLOW_ID = "flowId";
    static final String EXECUTION_ID = "executionId";
    static final String TASK_ID = "taskId";
    static final String TASK_RUN_ID = "taskRunId";
    static final String ATTEMPT = "attemptNumber";
    static final String TRIGGER_ID = "triggerId";
    static final String LEVEL = "level";
    static final String TIMESTAMP = "timestamp";
    static final String SECOND = "second";
    static final String NANO = "nano";
    static final String SEQ = "seq";
    static final String THREAD = "thread";
    static final String MESSAGE = "message";

    /** Lines of one event: at most 2^20, which the ingest limits keep far from. */
    static final int LINE_BITS = 20;

    /** Newest first, the order searches default to; partitions are sorted this way so such searches stop early. */
    static final Sort NEWEST_FIRST = new Sort(new SortField(TIMESTAMP, SortField.Type.LONG, true),
            new SortField(SEQ, SortField.Type.LONG, true));
    static final Sort OLDEST_FIRST = new Sort(new SortField(TIMESTAMP, SortField.Type.LONG),
            new SortField(SEQ, SortField.Type.LONG));
    static final Sort INGEST_ORDER = new Sort(new SortField(SEQ, SortField.Type.LONG));

    private LogFields() {
    }

    static long seq(long globalIndex, int lineInEvent) {
        return globalIndex << LINE_BITS | lineInEvent;
    }

    /** The global position of the event a line came in. */
    static long position(long seq) {
        return seq >>> LINE_BITS;
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    static Document document(LogLine line, long seq) {
        Document doc = new Document();
        doc.add(new StringField(NAMESPACE, line.namespace(), Field.Store.YES));
        doc.add(new StringField(FLOW_ID, line.flowId(), Field.Store.YES));
        exactOptional(doc, EXECUTION_ID, line.executionId());
        exactOptional(doc, TASK_ID, line.taskId());
        exactOptional(doc, TASK_RUN_ID, line.taskRunId());
        exactOptional(doc, TRIGGER_ID, line.triggerId());
        doc.add(new StringField(ATTEMPT, Integer.toString(line.attemptNumber()), Field.Store.YES));
        doc.add(new StringField(LEVEL, line.level().name(), Field.Store.YES));
        long micros = micros(line.timestamp());
        doc.add(new LongPoint(TIMESTAMP, micros));
        doc.add(new NumericDocValuesField(TIMESTAMP, micros));
        doc.add(new StoredField(SECOND, line.timestamp().getEpochSecond()));
        doc.add(new StoredField(NANO, line.timestamp().getNano()));
        doc.add(new LongPoint(SEQ, seq));
        doc.add(new NumericDocValuesField(SEQ, seq));
        if (line.thread() != null) {
            doc.add(new StoredField(THREAD, line.thread()));
        }
        doc.add(new TextField(MESSAGE, line.message(), Field.Store.YES));
        return doc;
    }

    static LogLine line(Document doc) {
        return new LogLine(doc.get(NAMESPACE), doc.get(FLOW_ID), doc.get(EXECUTION_ID), doc.get(TASK_ID),
                doc.get(TASK_RUN_ID), Integer.parseInt(doc.get(ATTEMPT)), doc.get(TRIGGER_ID),
                LogLevel.valueOf(doc.get(LEVEL)),
                Instant.ofEpochSecond(doc.getField(SECOND).numericValue().longValue(),
                        doc.getField(NANO).numericValue().intValue()),
                doc.get(THREAD), doc.get(MESSAGE));
    }

    private static void exactOptional(Document doc, String field, String value) {
        if (value != null) {
            doc.add(new StringField(field, value, Field.Store.YES));
        }
    }
}
