package io.osprey.query.log;

import io.osprey.events.validation.Violations;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the message analyzer makes of real-looking log lines, and which queries find them. */
class LogAnalyzerTest {

    private static final List<String> LINES = List.of(
            "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"value\" is null",
            "\tat io.kestra.core.runners.Worker.run(Worker.java:312)",
            "Uploaded 12.5 MB to s3://analytics-bucket/exports/2026/11/26/part-0001.parquet",
            "GET https://api.example.com/v2/orders?page=3 answered HTTP 503 Service Unavailable after 30001 ms",
            "Inserted row_count=1234 rows into warehouse.fact_orders (batch 7/12)",
            "Error ORA-00942: table or view does not exist",
            "Execution 6Xh1pQ8s0lWqT2 finished with state=SUCCESS in PT2M13.5S",
            "User ALICE@example.org logged in from 10.0.12.7");

    private static final LogAnalyzer analyzer = new LogAnalyzer();
    private static ByteBuffersDirectory directory;
    private static DirectoryReader reader;

    @BeforeAll
    static void index() throws IOException {
        directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (String line : LINES) {
                Document doc = new Document();
                doc.add(new TextField(LogFields.MESSAGE, line, Field.Store.YES));
                writer.addDocument(doc);
            }
        }
        reader = DirectoryReader.open(directory);
    }

    @AfterAll
    static void close() throws IOException {
        reader.close();
        directory.close();
    }

    @Test
    void splitsOnEverythingButLettersAndDigitsAndLowerCasesKeepingNumbersAndStopWords() {
        assertThat(analyzer.terms(LogFields.MESSAGE, "java.lang.NullPointerException: the HTTP 503 row_count=1234 s3://b/k"))
                .containsExactly("java", "lang", "nullpointerexception", "the", "http", "503", "row", "count", "1234",
                        "s3", "b", "k");
    }

    @ParameterizedTest(name = "{0} finds line {1}")
    @CsvSource(delimiter = '|', value = {
            "java.lang.NullPointerException | 0",
            "NullPointerException | 0",
            "nullpointerexception | 0",
            "\"because value is null\" | 0",
            "Worker.java:312 | 1",
            "io.kestra.core.runners | 1",
            "s3://analytics-bucket/exports/2026/11/26/part-0001.parquet | 2",
            "analytics-bucket | 2",
            "part-0001.parquet | 2",
            "https://api.example.com/v2/orders?page=3 | 3",
            "\"HTTP 503\" | 3",
            "503 | 3",
            "row_count=1234 | 4",
            "warehouse.fact_orders | 4",
            "ORA-00942 | 5",
            "6Xh1pQ8s0lWqT2 | 6",
            "state=SUCCESS | 6",
            "alice@example.org | 7",
            "10.0.12.7 | 7",
            "Null* | 0",
            "java.lang.Null* | 0",
            "fact_ord* | 4",
            "\"java.lang.Null*\" | 0",
            "\"s3://analytics-bucket/exports/2026/11/26/part-00*\" | 2",
    })
    void findsIdentifiersPathsUrlsErrorCodesAndNumbers(String q, int line) throws IOException {
        assertThat(matches(q)).containsExactly(LINES.get(line));
    }

    @Test
    void wordsOfOtherScriptsAreFoundAsTyped() {
        // decomposed (e + U+0301, as macOS sends it) and composed résumé are one word
        assertThat(analyzer.terms(LogFields.MESSAGE, "Re\u0301sume\u0301 saved")).containsExactly("résumé", "saved");
        assertThat(analyzer.terms(LogFields.MESSAGE, "résumé")).containsExactly("résumé");
        // a vowel sign or a virama is part of its word, not a break in it
        assertThat(analyzer.terms(LogFields.MESSAGE, "हिन्दी पाठ")).containsExactly("हिन्दी", "पाठ");
        // text written without spaces is searched by pairs of characters, a lone one stays
        assertThat(analyzer.terms(LogFields.MESSAGE, "日本語のログ")).containsExactly("日本", "本語", "語の", "のロ", "ログ");
        assertThat(analyzer.terms(LogFields.MESSAGE, "中文测试 job42失败 字")).containsExactly(
                "中文", "文测", "测试", "job42", "失败", "字");
    }

    @Test
    void aPhraseNeedsItsWordsInOrderAndAnExclusionRemovesLines() throws IOException {
        assertThat(matches("\"503 HTTP\"")).isEmpty();
        assertThat(matches("\"rows into\" -warehouse")).isEmpty();
        assertThat(matches("12")).hasSize(3);
        assertThat(matches("12 -uploaded")).hasSize(2);
    }

    private static List<String> matches(String q) throws IOException {
        Violations violations = new Violations();
        LogText text = LogText.parse(q, analyzer, violations);
        assertThat(violations.isEmpty()).as(q).isTrue();
        IndexSearcher searcher = new IndexSearcher(reader);
        List<String> found = new ArrayList<>();
        for (var hit : searcher.search(text.query(), 100).scoreDocs) {
            found.add(searcher.storedFields().document(hit.doc).get(LogFields.MESSAGE));
        }
        return found;
    }
}
