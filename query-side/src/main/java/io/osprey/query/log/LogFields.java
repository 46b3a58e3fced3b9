package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;

import java.time.Instant;
import java.util.List;

/**
 * The shape of a log line in the index. Ids and level are exact terms; the timestamp is points (ranges) and
 * doc values (sort) in epoch microseconds; {@code seq} orders lines as they were ingested (the event's
 * global position, then the line's index in the event) and breaks timestamp ties, so every line has one
 * place in any order and a cursor can resume exactly after it. The tenant is the partition, not a field.
 */
final class LogFields {

    /** The namespace and each of its parents ({@code a}, {@code a.b}, {@code a.b.c}): a namespace filter is one term. */
    static final String NAMESPACE_TREE = "namespaceTree";
    static final String FLOW_ID = "flowId";
    static final String EXECUTION_ID = "executionId";
    static final String TASK_ID = "taskId";
    static final String TASK_RUN_ID = "taskRunId";
    static final String ATTEMPT = "attemptNumber";
    static final String TRIGGER_ID = "triggerId";
    static final String LEVEL = "level";
    static final String TIMESTAMP = "timestamp";
    static final String SEQ = "seq";
    static final String MESSAGE = "message";
    /** The whole line as one doc value, returned by searches. */
    static final String LINE = "line";

    /** Lines of one event: at most 2^20, which the ingest limits keep far from. */
    static final int LINE_BITS = 20;

    /** Newest first, the order searches default to. */
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
        for (int dot = line.namespace().indexOf('.'); dot > 0; dot = line.namespace().indexOf('.', dot + 1)) {
            doc.add(new StringField(NAMESPACE_TREE, line.namespace().substring(0, dot), Field.Store.NO));
        }
        doc.add(new StringField(NAMESPACE_TREE, line.namespace(), Field.Store.NO));
        doc.add(new StringField(FLOW_ID, line.flowId(), Field.Store.NO));
        exactOptional(doc, EXECUTION_ID, line.executionId());
        exactOptional(doc, TASK_ID, line.taskId());
        exactOptional(doc, TASK_RUN_ID, line.taskRunId());
        exactOptional(doc, TRIGGER_ID, line.triggerId());
        doc.add(new StringField(ATTEMPT, Integer.toString(line.attemptNumber()), Field.Store.NO));
        doc.add(new StringField(LEVEL, line.level().name(), Field.Store.NO));
        long micros = micros(line.timestamp());
        doc.add(new LongPoint(TIMESTAMP, micros));
        doc.add(new NumericDocValuesField(TIMESTAMP, micros));
        doc.add(new LongPoint(SEQ, seq));
        doc.add(new NumericDocValuesField(SEQ, seq));
        doc.add(new TextField(MESSAGE, line.message(), Field.Store.NO));
        doc.add(new BinaryDocValuesField(LINE, new BytesRef(encode(line))));
        return doc;
    }

    /** The line of a hit; reading it from doc values costs a seek, not the decompression of a stored-fields block. */
    static LogLine line(IndexReader reader, int doc) throws IOException {
        List<LeafReaderContext> leaves = reader.leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        BinaryDocValues lines = DocValues.getBinary(leaf.reader(), LINE);
        if (!lines.advanceExact(doc - leaf.docBase)) {
            throw new IllegalStateException("log line " + doc + " has no value");
        }
        return decode(lines.binaryValue());
    }

    private static LogLine decode(BytesRef bytes) {
        ByteArrayDataInput in = new ByteArrayDataInput(bytes.bytes, bytes.offset, bytes.length);
        try {
            int present = in.readByte();
            return new LogLine(in.readString(), in.readString(), optional(in, present, 1), optional(in, present, 2),
                    optional(in, present, 4), in.readVInt(), optional(in, present, 8), LogLevel.ofOrdinal(in.readByte()),
                    Instant.ofEpochSecond(in.readZLong(), in.readVInt()), optional(in, present, 16), in.readString());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from memory cannot fail
        }
    }

    /** The whole line as one value: one field to write and read instead of a dozen. */
    private static byte[] encode(LogLine line) {
        try {
            ByteBuffersDataOutput out = new ByteBuffersDataOutput(64 + line.message().length());
            out.writeByte((byte) (flag(line.executionId(), 1) | flag(line.taskId(), 2) | flag(line.taskRunId(), 4)
                    | flag(line.triggerId(), 8) | flag(line.thread(), 16)));
            out.writeString(line.namespace());
            out.writeString(line.flowId());
            writeOptional(out, line.executionId());
            writeOptional(out, line.taskId());
            writeOptional(out, line.taskRunId());
            out.writeVInt(line.attemptNumber());
            writeOptional(out, line.triggerId());
            out.writeByte((byte) line.level().ordinal());
            out.writeZLong(line.timestamp().getEpochSecond());
            out.writeVInt(line.timestamp().getNano());
            writeOptional(out, line.thread());
            out.writeString(line.message());
            return out.toArrayCopy();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory cannot fail
        }
    }

    private static int flag(String value, int bit) {
        return value == null ? 0 : bit;
    }

    private static void writeOptional(ByteBuffersDataOutput out, String value) throws IOException {
        if (value != null) {
            out.writeString(value);
        }
    }

    private static String optional(ByteArrayDataInput in, int present, int bit) throws IOException {
        return (present & bit) == 0 ? null : in.readString();
    }

    private static void exactOptional(Document doc, String field, String value) {
        if (value != null) {
            doc.add(new StringField(field, value, Field.Store.NO));
        }
    }
}
