package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import io.osprey.query.QuerySide;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An index built with another analysis of messages than this version's holds terms no search asks for: it is rebuilt
 * from the event store when the query side starts. Here the lines of an index said to be of analysis "1" are taken
 * out of it behind the query side's back, so that only a rebuild brings them back.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogIndexAnalyzerVersionTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    Path indexDir;
    private final TestDatabase database = TestPostgres.createDatabase();
    private QuerySide app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        database.close();
    }

    private QuerySide start() {
        return QuerySide.start(database.springArgs(), () -> { }, new Class<?>[0], "--osprey.logs.index.dir=" + indexDir);
    }

    @Test
    void anIndexOfAnotherAnalysisIsRebuiltFromTheEventStoreAtStart(CapturedOutput output) throws IOException {
        app = start();
        long position = app.publish(batch("main", List.of(
                line("company.team", "exec1", "t", LogLevel.INFO, AT, "日本語のログ メッセージ"),
                line("company.team", "exec1", "t", LogLevel.INFO, AT.plusSeconds(1), "plain ascii line"))));
        assertThat(found("ログ", position)).isEqualTo(1);
        app.close();
        app = null;

        emptyEveryPartition("2");
        setCheckpointAnalyzer("1");
        app = start();

        assertThat(found("ログ", position)).isEqualTo(1);
        assertThat(found("ascii", position)).isEqualTo(1);
        assertThat(output.getAll()).contains("rebuilding it from the event store");
        app.close();
        app = null;
        assertThat(checkpointAnalyzer()).isEqualTo(LogAnalyzer.VERSION);
    }

    @Test
    void withoutACheckpointAPartitionOfAnotherAnalysisHasTheIndexRebuilt(CapturedOutput output) throws IOException {
        app = start();
        long position = app.publish(batch("main", List.of(
                line("company.team", "exec1", "t", LogLevel.INFO, AT, "日本語のログ メッセージ"))));
        assertThat(found("ログ", position)).isEqualTo(1);
        app.close();
        app = null;

        emptyEveryPartition("1");
        QuerySide.deleteRecursively(indexDir.resolve(".checkpoint"));
        app = start();

        assertThat(found("ログ", position)).isEqualTo(1);
        assertThat(output.getAll()).contains("rebuilding it from the event store");
    }

    private long found(String q, long position) {
        return app.getAt("/api/v1/main/logs/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), position)
                .json().get("total").asLong();
    }

    /** Deletes every line from each partition, keeping the token its commit holds, said to be of that analysis. */
    private void emptyEveryPartition(String analyzer) throws IOException {
        try (Stream<Path> tenants = Files.list(indexDir)) {
            for (Path tenant : tenants.filter(dir -> !dir.getFileName().toString().startsWith(".")).toList()) {
                try (Stream<Path> days = Files.list(tenant)) {
                    for (Path day : days.toList()) {
                        try (FSDirectory directory = FSDirectory.open(day);
                             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
                            writer.deleteAll();
                            Map<String, String> data = LogCheckpoint.TokenCodec.userData(writer);
                            data.put("osprey.analyzer", analyzer);
                            writer.setLiveCommitData(data.entrySet());
                            writer.commit();
                        }
                    }
                }
            }
        }
    }

    private void setCheckpointAnalyzer(String version) throws IOException {
        try (FSDirectory directory = FSDirectory.open(indexDir.resolve(".checkpoint"));
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            Map<String, String> data = LogCheckpoint.TokenCodec.userData(writer);
            data.put("osprey.analyzer", version);
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
        }
    }

    private String checkpointAnalyzer() throws IOException {
        try (FSDirectory directory = FSDirectory.open(indexDir.resolve(".checkpoint"));
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            return LogCheckpoint.TokenCodec.analyzer(LogCheckpoint.TokenCodec.userData(writer));
        }
    }
}
