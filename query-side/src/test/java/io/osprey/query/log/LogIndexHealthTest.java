package io.osprey.query.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.events.log.LogLevel;
import io.osprey.query.QuerySide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The health endpoint says when lines are acknowledged but the index cannot take them, and when it can again. */
class LogIndexHealthTest {

    @Test
    void theLogIndexIsDownWhileItCannotIndexAndUpOnceItHasCaughtUp(@TempDir Path dir) throws IOException {
        QuerySide querySide = QuerySide.start("--osprey.logs.index.dir=" + dir);
        try {
            assertThat(logIndexHealth(querySide).path("status").asText()).isEqualTo("UP");
            long indexed = querySide.publish(batch("main", List.of(line("ns", "e0", "t", LogLevel.INFO,
                    Instant.parse("2026-11-20T09:00:00Z"), "indexed before"))));
            assertThat(querySide.getAt("/api/v1/main/logs/search?q=indexed", indexed).status()).isEqualTo(200);
            // a file where the tenant's directory of partitions goes: its first line cannot be indexed
            Path blocking = Files.writeString(dir.resolve("blocked"), "not a directory");
            long position = querySide.publish(batch("blocked", List.of(line("ns", "e", "t", LogLevel.INFO,
                    Instant.parse("2026-11-20T10:00:00Z"), "held up"))));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode health = logIndexHealth(querySide);
                assertThat(health.path("status").asText()).isEqualTo("DOWN");
                assertThat(health.at("/details/error").asText()).contains("blocked");
                assertThat(health.at("/details/failingSince").asText()).isNotEmpty();
            });
            assertThat(querySide.http().get("/actuator/health").status()).isEqualTo(503);
            // while the indexer waits to try again, what it had committed is searched, not a 503
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() ->
                    querySide.http().get("/api/v1/main/logs/search?q=indexed").status() == 200);

            Files.delete(blocking);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(logIndexHealth(querySide).path("status").asText()).isEqualTo("UP"));
            assertThat(querySide.getAt("/api/v1/blocked/logs/search?q=held", position).json().path("total").asLong())
                    .isEqualTo(1);
        } finally {
            querySide.close();
        }
    }

    private static JsonNode logIndexHealth(QuerySide querySide) {
        return querySide.http().get("/actuator/health").json().at("/components/logIndex");
    }
}
