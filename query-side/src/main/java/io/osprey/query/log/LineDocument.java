package io.osprey.query.log;

import io.osprey.events.log.LogLine;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.lucene.util.NumericUtils;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The document of a log line ({@link LogFields}), one instance refilled for each line of a run: Lucene copies every
 * value into its buffers as it takes a document, so the fields, their bytes and the encoded line are reused rather
 * than allocated per line (building fresh documents was a third of what indexing allocated). An id's bytes are
 * encoded again only when the id differs from the previous line's, which in a run of one execution's lines is rare.
 * Not thread-safe: {@link LogIndex} takes one for each event it adds, on the thread adding that event's lines.
 */
final class LineDocument implements Iterable<IndexableField> {

    private static final FieldType LONG_POINT = longPoint();

    private final List<IndexableField> fields = new ArrayList<>(24);
    private final List<Exact> namespaceTree = new ArrayList<>();
    private String namespace;
    private int namespaceLevels;
    private final Exact flowId = new Exact(LogFields.FLOW_ID);
    private final Exact executionId = new Exact(LogFields.EXECUTION_ID);
    private final Exact taskId = new Exact(LogFields.TASK_ID);
    private final Exact taskRunId = new Exact(LogFields.TASK_RUN_ID);
    private final Exact triggerId = new Exact(LogFields.TRIGGER_ID);
    private final Exact attempt = new Exact(LogFields.ATTEMPT);
    private int attemptNumber = -1;
    private final Exact level = new Exact(LogFields.LEVEL);
    private final BytesRef timestampPacked = new BytesRef(new byte[Long.BYTES]);
    private final Field timestampPoint = new Field(LogFields.TIMESTAMP, timestampPacked, LONG_POINT);
    private final NumericDocValuesField timestampValue = new NumericDocValuesField(LogFields.TIMESTAMP, 0L);
    private final BytesRef seqPacked = new BytesRef(new byte[Long.BYTES]);
    private final Field seqPoint = new Field(LogFields.SEQ, seqPacked, LONG_POINT);
    private final NumericDocValuesField seqValue = new NumericDocValuesField(LogFields.SEQ, 0L);
    private final Field message = new TextField(LogFields.MESSAGE, "", Field.Store.NO);
    private final LogFields.LineWriter encoded = new LogFields.LineWriter(512);
    private final BytesRef encodedBytes = new BytesRef();
    private final BinaryDocValuesField line = new BinaryDocValuesField(LogFields.LINE, encodedBytes);

    /** This document, now holding the given line; valid until the next call. */
    LineDocument fill(LogLine logLine, long seq) {
        fields.clear();
        namespace(logLine.namespace());
        flowId.addTo(fields, logLine.flowId());
        executionId.addTo(fields, logLine.executionId());
        taskId.addTo(fields, logLine.taskId());
        taskRunId.addTo(fields, logLine.taskRunId());
        triggerId.addTo(fields, logLine.triggerId());
        if (logLine.attemptNumber() != attemptNumber) {
            attemptNumber = logLine.attemptNumber();
            attempt.set(Integer.toString(attemptNumber));
        }
        fields.add(attempt.field);
        level.addTo(fields, logLine.level().name());
        long micros = LogFields.micros(logLine.timestamp());
        NumericUtils.longToSortableBytes(micros, timestampPacked.bytes, 0);
        fields.add(timestampPoint);
        timestampValue.setLongValue(micros);
        fields.add(timestampValue);
        NumericUtils.longToSortableBytes(seq, seqPacked.bytes, 0);
        fields.add(seqPoint);
        seqValue.setLongValue(seq);
        fields.add(seqValue);
        message.setStringValue(logLine.message());
        fields.add(message);
        encoded.reset();
        LogFields.encode(logLine, encoded);
        encodedBytes.bytes = encoded.bytes();
        encodedBytes.length = encoded.size();
        fields.add(line);
        return this;
    }

    /** The namespace and each of its parents, as {@link LogFields#NAMESPACE_TREE} terms. */
    private void namespace(String value) {
        if (!value.equals(namespace)) {
            namespace = value;
            namespaceLevels = 0;
            for (int dot = value.indexOf('.'); dot > 0; dot = value.indexOf('.', dot + 1)) {
                namespaceLevel(namespaceLevels++).set(value.substring(0, dot));
            }
            namespaceLevel(namespaceLevels++).set(value);
        }
        for (int i = 0; i < namespaceLevels; i++) {
            fields.add(namespaceTree.get(i).field);
        }
    }

    private Exact namespaceLevel(int index) {
        if (index == namespaceTree.size()) {
            namespaceTree.add(new Exact(LogFields.NAMESPACE_TREE));
        }
        return namespaceTree.get(index);
    }

    @Override
    public Iterator<IndexableField> iterator() {
        return fields.iterator();
    }

    /** A run of lines as the documents Lucene takes in one call, each filled as Lucene comes to it. */
    static Iterable<LineDocument> run(List<LogLine> lines, int from, int to, long position, LineDocument document) {
        return () -> new Iterator<>() {
            private int next = from;

            @Override
            public boolean hasNext() {
                return next < to;
            }

            @Override
            public LineDocument next() {
                int i = next++;
                return document.fill(lines.get(i), LogFields.seq(position, i));
            }
        };
    }

    /**
     * An exact term whose bytes are encoded again only when its value changes, into the array its field holds
     * (Lucene lets no indexed field take a new {@code BytesRef}, but reads the one it has when it takes the document).
     */
    private static final class Exact {
        final StringField field;
        private final BytesRef bytes = new BytesRef();
        private final BytesRefBuilder utf8 = new BytesRefBuilder();
        private String value;

        Exact(String name) {
            field = new StringField(name, bytes, Field.Store.NO);
        }

        void set(String newValue) {
            utf8.copyChars(newValue);
            bytes.bytes = utf8.bytes();
            bytes.length = utf8.length();
            value = newValue;
        }

        /** Adds the field with this value; a null value is no field. */
        void addTo(List<IndexableField> fields, String newValue) {
            if (newValue == null) {
                return;
            }
            if (!newValue.equals(value)) {
                set(newValue);
            }
            fields.add(field);
        }
    }

    private static FieldType longPoint() {
        FieldType type = new FieldType();
        type.setDimensions(1, Long.BYTES);
        type.freeze();
        return type;
    }
}
