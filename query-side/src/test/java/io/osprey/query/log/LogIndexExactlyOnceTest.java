package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import io.osprey.query.QuerySide;
import io.osprey.query.projection.ProjectionPositions;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The log index against a query side that crashes and restarts in the middle of a large ingest: what it
 * finally holds is exactly what was acknowledged (same count, same checksum), never a line lost or doubled.
 * The lines are written by a second application on the same event store, which keeps writing meanwhile.
 */
class LogIndexExactlyOnceTest {

    private static final int BATCHES = 80;
    private static final int LINES_PER_BATCH = 500;
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path indexDir;
    private final TestDatabase database = TestPostgres.createDatabase();
    private final List<QuerySide> apps = new ArrayList<>();

    @AfterEach
    void stop() {
        apps.forEach(QuerySide::close);
        database.close();
    }

    private QuerySide start(String... properties) {
        QuerySide app = QuerySide.start(database.springArgs(), () -> { }, new Class<?>[0], properties);
        apps.add(app);
        return app;
    }

    private QuerySide startIndexer() {
        // commits every few batches, so that a crash finds partitions committed at different tokens
        return start("--osprey.logs.index.dir=" + indexDir, "--osprey.logs.index.commit-interval=30ms",
                "--osprey.logs.index.refresh-interval=20ms");
    }

    @Test
    void crashAndRestartInTheMiddleOfAnIngestNeitherLoseNorDoubleALine() throws Exception {
        QuerySide writer = start();
        QuerySide indexer = startIndexer();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLongArray positions = new AtomicLongArray(BATCHES);
        CountDownLatch crashed = new CountDownLatch(1);
        Thread ingest = new Thread(() -> {
            try {
                for (int b = 0; b < BATCHES; b++) {
                    List<LogLine> lines = batchLines(b);
                    positions.set(b, writer.publish(batch("main", lines)));
                    acknowledged.addAndGet(lines.size());
                    if (b == BATCHES / 2) {
                        crashed.await(); // the rest is written while the indexer is down, then after its restart
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ingest.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> positions.get(BATCHES / 4) > 0
                && indexer.bean(ProjectionPositions.class).progress(LogIndexer.NAME).covers(positions.get(BATCHES / 4)));
        indexer.bean(LogIndexer.class).halt(); // a crash: no last commit
        indexer.close();
        apps.remove(indexer);
        assertThat(acknowledged.get()).as("the crash came in the middle of the ingest").isLessThan(BATCHES * LINES_PER_BATCH);
        crashed.countDown();

        QuerySide restarted = startIndexer();
        ingest.join();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                restarted.bean(ProjectionPositions.class).progress(LogIndexer.NAME).covers(positions.get(BATCHES - 1)));

        assertThat(indexed(restarted)).isEqualTo(acknowledged.get()).isEqualTo(BATCHES * LINES_PER_BATCH);
        assertThat(checksum(indexedLines(restarted))).isEqualTo(checksum(acknowledgedLines()));

        // the index can be dropped and rebuilt from the event store, to the same content
        restarted.bean(LogIndexer.class).rebuild();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                restarted.bean(ProjectionPositions.class).progress(LogIndexer.NAME).covers(positions.get(BATCHES - 1)));
        assertThat(checksum(indexedLines(restarted))).isEqualTo(checksum(acknowledgedLines()));
    }

    /** Lines of one batch, spread over three days so that every crash cuts across partitions. */
    private static List<LogLine> batchLines(int batch) {
        List<LogLine> lines = new ArrayList<>(LINES_PER_BATCH);
        for (int i = 0; i < LINES_PER_BATCH; i++) {
            Instant at = START.plusSeconds((long) (i % 3) * 86_400 + batch);
            lines.add(line("company.team", "exec" + batch, "task" + (i % 7), LogLevel.INFO, at,
                    "batch " + batch + " line " + i + " row_count=" + (batch * i)));
        }
        return lines;
    }

    private static long indexed(QuerySide app) throws IOException {
        return indexedLines(app).size();
    }

    private static List<LogLine> indexedLines(QuerySide app) throws IOException {
        List<LogLine> lines = new ArrayList<>();
        app.bean(LogSearches.class).stream("main", new MatchAllDocsQuery(), lines::add);
        return lines;
    }

    private static List<LogLine> acknowledgedLines() {
        List<LogLine> lines = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            lines.addAll(batchLines(b));
        }
        return lines;
    }

    /** Independent of order: the SHA-256 of the lines sorted by execution and message (unique here). */
    private static String checksum(List<LogLine> lines) {
        MessageDigest digest = sha256();
        lines.stream().sorted(Comparator.comparing(LogLine::executionId).thenComparing(LogLine::message))
                .forEach(line -> digest.update((line + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
