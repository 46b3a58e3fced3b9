package io.osprey.bench.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.Log;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw baseline of logs-ingest's searchable throughput: the same lines indexed with plain Lucene, one IndexWriter
 * (default configuration, StandardAnalyzer) on a local directory, fed by the same number of client threads in the
 * same batches ({@code addDocuments}), one commit at the end. Ids and level are StringFields, the timestamp a
 * LongPoint with NumericDocValues (to sort), the message a TextField; every field is stored.
 */
final class LuceneBaseline {

    /** The indexing phase, the final commit, and the index's size on disk. */
    record Result(BatchPhase phase, double commitSeconds, long indexBytes) {
        double seconds() {
            return phase.seconds() + commitSeconds;
        }

        double linesPerSecond() {
            return seconds() > 0 ? phase.lines() / seconds() : 0;
        }

        ObjectNode json() {
            ObjectNode node = JsonLine.object();
            node.put("method", "plain Lucene " + Version.LATEST + ": one IndexWriter (default config, StandardAnalyzer)"
                    + " on an FSDirectory, addDocuments per batch from the same client threads, one commit at the end;"
                    + " ids/level StringField, timestamp LongPoint + NumericDocValuesField, message TextField, all stored");
            node.put("lines", phase.lines());
            JsonLine.put(node, "seconds", seconds());
            JsonLine.put(node, "commit_seconds", commitSeconds);
            JsonLine.put(node, "lines_per_s", linesPerSecond());
            node.put("index_bytes", indexBytes);
            return node;
        }
    }

    private LuceneBaseline() {
    }

    static Result index(String name, LogGenerator lines, int batch, int clients, Path dir) throws Exception {
        try (Directory directory = FSDirectory.open(dir);
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer())
                     .setOpenMode(IndexWriterConfig.OpenMode.CREATE))) {
            BatchPhase phase = BatchPhase.run(name, lines.lines(), batch, clients, thread -> (from, to) -> {
                List<Document> documents = new ArrayList<>(to - from);
                lines.forEach(from, to, line -> documents.add(document(line)));
                long begin = System.nanoTime();
                writer.addDocuments(documents);
                return System.nanoTime() - begin;
            });
            phase.requireNoErrors();
            long begin = System.nanoTime();
            writer.commit();
            double commitSeconds = (System.nanoTime() - begin) / 1e9;
            long bytes = size(directory);
            Log.info("%s: commit %.2f s, %d lines/s overall, index %d bytes", name, commitSeconds,
                    Math.round(phase.lines() / (phase.seconds() + commitSeconds)), bytes);
            return new Result(phase, commitSeconds, bytes);
        }
    }

    static Document document(LogLine line) {
        Document d = new Document();
        d.add(new StringField("namespace", line.namespace(), Field.Store.YES));
        d.add(new StringField("flowId", line.flowId(), Field.Store.YES));
        d.add(new StringField("executionId", line.executionId(), Field.Store.YES));
        if (line.taskId() != null) {
            d.add(new StringField("taskId", line.taskId(), Field.Store.YES));
            d.add(new StringField("taskRunId", line.taskRunId(), Field.Store.YES));
        }
        if (line.triggerId() != null) {
            d.add(new StringField("triggerId", line.triggerId(), Field.Store.YES));
        }
        d.add(new StoredField("attemptNumber", line.attemptNumber()));
        d.add(new StringField("level", line.level(), Field.Store.YES));
        d.add(new LongPoint("timestamp", line.timestampMillis()));
        d.add(new NumericDocValuesField("timestamp", line.timestampMillis()));
        d.add(new StoredField("timestamp", line.timestampMillis()));
        d.add(new StoredField("thread", line.thread()));
        d.add(new TextField("message", line.message(), Field.Store.YES));
        return d;
    }

    private static long size(Directory directory) throws IOException {
        long bytes = 0;
        for (String file : directory.listAll()) {
            bytes += directory.fileLength(file);
        }
        return bytes;
    }
}
