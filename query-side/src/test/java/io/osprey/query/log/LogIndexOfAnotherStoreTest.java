package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import io.osprey.query.QuerySide;
import io.osprey.query.projection.ProjectionPositions;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A log index that has read further than its event store holds (the store restored from an older backup, or the
 * data directory moved) is rebuilt from the store, and then indexes what the store appends.
 */
class LogIndexOfAnotherStoreTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    Path indexDir;

    @Test
    void anIndexAheadOfTheEventStoreIsRebuiltFromIt() throws IOException {
        try (TestDatabase first = TestPostgres.createDatabase()) {
            QuerySide app = start(first);
            try {
                long position = 0;
                for (int batch = 0; batch < 5; batch++) {
                    position = app.publish(batch("main", lines("first store", 20)));
                }
                awaitIndexed(app, position);
                assertThat(messages(app)).hasSize(100);
            } finally {
                app.close();
            }
        }
        try (TestDatabase second = TestPostgres.createDatabase()) {
            QuerySide app = start(second);
            try {
                long position = app.publish(batch("main", lines("second store", 3)));

                awaitIndexed(app, position);
                assertThat(messages(app)).hasSize(3).allMatch(message -> message.startsWith("second store"));
            } finally {
                app.close();
            }
        }
    }

    private QuerySide start(TestDatabase database) {
        return QuerySide.start(database.springArgs(), () -> { }, new Class<?>[0],
                "--osprey.logs.index.dir=" + indexDir, "--osprey.logs.index.commit-interval=50ms");
    }

    private static List<LogLine> lines(String store, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> line("company.team", "exec", "t", LogLevel.INFO, AT.plusSeconds(i), store + " line " + i))
                .toList();
    }

    private static void awaitIndexed(QuerySide app, long position) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> app.bean(ProjectionPositions.class).progress(LogIndexer.NAME).covers(position));
    }

    private static List<String> messages(QuerySide app) throws IOException {
        List<String> messages = new ArrayList<>();
        app.bean(LogSearches.class).stream("main", new MatchAllDocsQuery(), line -> messages.add(line.message()));
        return messages;
    }
}
