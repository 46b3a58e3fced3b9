package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One {@link LineDocument} refilled for a run of lines whose ids change, disappear and come back: every line must be
 * indexed with its own values, never with a value left over from the line before.
 */
class LineDocumentTest {

    private static final long POSITION = 77;

    private static final List<LogLine> LINES = List.of(
            line("acme.sales.eu", "etl", "e1", "extract", "r1", 0, null, LogLevel.INFO, "2026-11-20T10:00:00.000001Z", "started extract"),
            line("acme.sales.eu", "etl", "e1", "extract", "r1", 0, null, LogLevel.DEBUG, "2026-11-20T10:00:01Z", "row_count=1234"),
            line("acme.sales.eu", "etl", "e1", null, null, 0, "schedule", LogLevel.WARN, "2026-11-20T10:00:02Z", "no task here"),
            line("acme.sales.eu", "etl", "e1", "extract", "r2", 1, null, LogLevel.ERROR, "2026-11-20T09:59:59Z", "java.lang.NullPointerException"),
            line("acme", "sync", "e2", "load", "r3", 0, null, LogLevel.INFO, "2026-11-20T10:00:03Z", "HTTP 503 from s3://bucket/key"),
            line("acme.hr", "sync", null, "load", "r3", 3, "webhook", LogLevel.TRACE, "2026-11-20T10:00:04Z", "ünïcödé ✓ 𝄞"),
            line("acme.sales.eu", "etl", "e1", "extract", "r1", 0, null, LogLevel.INFO, "2026-11-20T10:00:05Z", "started extract again"));

    private static LogLine line(String namespace, String flowId, String executionId, String taskId, String taskRunId,
                                int attempt, String triggerId, LogLevel level, String at, String message) {
        // new String: values equal to an earlier line's but not the same instance, as from separate requests
        return new LogLine(new String(namespace), flowId, executionId, taskId, taskRunId, attempt, triggerId, level,
                Instant.parse(at), "worker-1", message);
    }

    @Test
    void everyLineOfARunIsIndexedWithItsOwnValues() throws IOException {
        try (Directory directory = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new LogAnalyzer()))) {
                LineDocument document = new LineDocument();
                writer.addDocuments(LineDocument.run(LINES, 0, 4, POSITION, document));
                writer.addDocuments(LineDocument.run(LINES, 4, LINES.size(), POSITION, document));
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                assertThat(reader.numDocs()).isEqualTo(LINES.size());
                for (int i = 0; i < LINES.size(); i++) {
                    LogLine expected = LINES.get(i);
                    ScoreDoc[] hits = searcher.search(LongPoint.newExactQuery(LogFields.SEQ, LogFields.seq(POSITION, i)), 2).scoreDocs;
                    assertThat(hits).as("line %d by seq", i).hasSize(1);
                    assertThat(LogFields.line(reader, hits[0].doc)).isEqualTo(expected);
                    long micros = LogFields.micros(expected.timestamp());
                    assertThat(searcher.count(LongPoint.newExactQuery(LogFields.TIMESTAMP, micros))).isEqualTo(1);
                }
                assertExactTerms(searcher, LogFields.FLOW_ID, LogLine::flowId);
                assertExactTerms(searcher, LogFields.EXECUTION_ID, LogLine::executionId);
                assertExactTerms(searcher, LogFields.TASK_ID, LogLine::taskId);
                assertExactTerms(searcher, LogFields.TASK_RUN_ID, LogLine::taskRunId);
                assertExactTerms(searcher, LogFields.TRIGGER_ID, LogLine::triggerId);
                assertExactTerms(searcher, LogFields.ATTEMPT, line -> Integer.toString(line.attemptNumber()));
                assertExactTerms(searcher, LogFields.LEVEL, line -> line.level().name());
                for (String namespace : List.of("acme", "acme.sales", "acme.sales.eu", "acme.hr")) {
                    long expected = LINES.stream()
                            .filter(l -> l.namespace().equals(namespace) || l.namespace().startsWith(namespace + "."))
                            .count();
                    assertThat(searcher.count(new TermQuery(new Term(LogFields.NAMESPACE_TREE, namespace))))
                            .as("namespace %s", namespace).isEqualTo(expected);
                }
                assertThat(searcher.count(new TermQuery(new Term(LogFields.NAMESPACE_TREE, "sales")))).isZero();
                assertThat(searcher.count(new TermQuery(new Term(LogFields.MESSAGE, "extract")))).isEqualTo(2);
                assertThat(searcher.count(new TermQuery(new Term(LogFields.MESSAGE, "nullpointerexception")))).isEqualTo(1);

                TopFieldDocs oldestFirst = searcher.search(new MatchAllDocsQuery(), LINES.size(), LogFields.OLDEST_FIRST);
                List<LogLine> sorted = new ArrayList<>();
                for (ScoreDoc hit : oldestFirst.scoreDocs) {
                    sorted.add(LogFields.line(reader, hit.doc));
                }
                assertThat(sorted).isEqualTo(LINES.stream().sorted(Comparator.comparing(LogLine::timestamp)).toList());
            }
        }
    }

    /** Each value of the field finds exactly the lines that have it. */
    private static void assertExactTerms(IndexSearcher searcher, String field, Function<LogLine, String> value)
            throws IOException {
        for (String v : LINES.stream().map(value).filter(Objects::nonNull).distinct().toList()) {
            long expected = LINES.stream().filter(line -> v.equals(value.apply(line))).count();
            assertThat(searcher.count(new TermQuery(new Term(field, v)))).as("%s = %s", field, v).isEqualTo(expected);
        }
    }
}
