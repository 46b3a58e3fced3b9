package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.util.BitUtil;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.UnicodeUtil;

import java.io.IOException;
import java.io.UncheckedIOException;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The shape of a log line in the index. Ids and level are exact terms; the timestamp is points (ranges) and
 * doc values (sort) in epoch microseconds; {@code seq} orders lines as they were ingested (the event's
 * global position, then the line's index in the event) and breaks timestamp ties, so every line has one
 * place in any order and a cursor can resume exactly after it. The tenant is the partition, not a field.
 * {@link LineDocument} builds a line's document.
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

    /** Whole seconds whose microseconds, plus those of any fraction, fit in a long. */
    private static final long MAX_MICROS_SECONDS = Long.MAX_VALUE / 1_000_000L - 1;

    /** Lines of one event: at most 2^20, which the ingest limits keep far from. */
    static final int LINE_BITS = 20;

    /** Newest first, the order searches default to. */
    static final Sort NEWEST_FIRST = new Sort(new SortField(TIMESTAMP, SortField.Type.LONG, true),
            new SortField(SEQ, SortField.Type.LONG, true));
    static final Sort OLDEST_FIRST = new Sort(new SortField(TIMESTAMP, SortField.Type.LONG),
            new SortField(SEQ, SortField.Type.LONG));
    static final Sort INGEST_ORDER = new Sort(new SortField(SEQ, SortField.Type.LONG));

    /**
     * Where a search resumes: strictly after a line with these sort values, which tell lines apart. No doc id: one
     * belongs to a single reader, and lines added to an earlier partition move a line past it.
     */
    static FieldDoc strictlyAfter(Object[] sortValues) {
        return new FieldDoc(Integer.MAX_VALUE, Float.NaN, sortValues);
    }

    private LogFields() {
    }

    static long seq(long globalIndex, int lineInEvent) {
        return globalIndex << LINE_BITS | lineInEvent;
    }

    /** The global position of the event a line came in. */
    static long position(long seq) {
        return seq >>> LINE_BITS;
    }

    /**
     * Epoch microseconds, saturated at the ends of a long (about 292,000 years either side of 1970): a search
     * may bound its window anywhere, and a line written before ingest checked the timestamp's range may hold any
     * instant; neither may fail a search or stop the indexer.
     */
    static long micros(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds > MAX_MICROS_SECONDS) {
            return Long.MAX_VALUE;
        }
        if (seconds < -MAX_MICROS_SECONDS) {
            return Long.MIN_VALUE;
        }
        return seconds * 1_000_000L + instant.getNano() / 1000;
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

    static LogLine decode(BytesRef bytes) {
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

    /**
     * The whole line as one value: one field to write and read instead of a dozen. The bytes are those of Lucene's
     * {@code DataOutput} (vInts, zig-zag longs, strings as UTF-8 length and bytes), which {@link #decode} reads;
     * written straight into one array, because Lucene's {@code ByteBuffersDataOutput} allocated a block and a copy of
     * every string per line: a third of what indexing allocated, and 14 % of its CPU samples (JFR). Appended to
     * {@code out}, which {@link LineDocument} reuses from line to line.
     */
    static void encode(LogLine line, LineWriter out) {
        out.writeByte(flag(line.executionId(), 1) | flag(line.taskId(), 2) | flag(line.taskRunId(), 4)
                | flag(line.triggerId(), 8) | flag(line.thread(), 16));
        out.writeString(line.namespace());
        out.writeString(line.flowId());
        out.writeOptional(line.executionId());
        out.writeOptional(line.taskId());
        out.writeOptional(line.taskRunId());
        out.writeVLong(line.attemptNumber() & 0xFFFFFFFFL);
        out.writeOptional(line.triggerId());
        out.writeByte(line.level().ordinal());
        out.writeVLong(BitUtil.zigZagEncode(line.timestamp().getEpochSecond()));
        out.writeVLong(line.timestamp().getNano());
        out.writeOptional(line.thread());
        out.writeString(line.message());
    }

    private static int flag(String value, int bit) {
        return value == null ? 0 : bit;
    }

    /** A growable byte array with the few encodings of Lucene's {@code DataOutput} that a line uses; reusable. */
    static final class LineWriter {
        private byte[] bytes;
        private int size;

        LineWriter(int capacity) {
            bytes = new byte[capacity];
        }

        void writeByte(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        /** 7 bits per byte, lowest first: Lucene's vInt and vLong (of values that are not negative). */
        void writeVLong(long value) {
            ensure(10);
            while ((value & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes[size++] = (byte) value;
        }

        /** The UTF-8 length, then the bytes: encoded past room for the length first, then moved right behind it. */
        void writeString(String value) {
            ensure(5 + 3 * value.length()); // at most 3 UTF-8 bytes per UTF-16 unit
            int start = size + 5;
            int length = UnicodeUtil.UTF16toUTF8(value, 0, value.length(), bytes, start) - start;
            writeVLong(length);
            System.arraycopy(bytes, start, bytes, size, length);
            size += length;
        }

        void writeOptional(String value) {
            if (value != null) {
                writeString(value);
            }
        }

        /** The array written into (valid up to {@link #size}); replaced when it grows. */
        byte[] bytes() {
            return bytes;
        }

        int size() {
            return size;
        }

        void reset() {
            size = 0;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }

    private static String optional(ByteArrayDataInput in, int present, int bit) throws IOException {
        return (present & bit) == 0 ? null : in.readString();
    }
}
