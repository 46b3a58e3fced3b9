package io.osprey.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs end to end across two applications on one PostgreSQL: ingested on the command side, searchable on the
 * query side at the position the ingest replied with, deletions applied, and a restarted query side that
 * keeps its index without doubling a line.
 */
class LogsSeparateSidesTest {

    @TempDir
    Path blobRoot;
    private SeparateSides sides;

    @AfterEach
    void stop() {
        if (sides != null) {
            sides.close();
        }
    }

    private static String ndjson(String executionId, int count, Instant start) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            body.append("{\"namespace\":\"company.team\",\"flowId\":\"etl\",\"executionId\":\"").append(executionId)
                    .append("\",\"taskId\":\"load\",\"taskRunId\":\"tr1\",\"level\":\"").append(i % 10 == 0 ? "ERROR" : "INFO")
                    .append("\",\"timestamp\":\"").append(start.plusMillis(i)).append("\",\"thread\":\"worker-1\"")
                    .append(",\"message\":\"Loaded row_count=").append(i).append(" from s3://bucket/part-").append(i).append(".csv\"}\n");
        }
        return body.toString();
    }

    private static long ingest(HttpJson commands, String body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/x-ndjson"));
        all.addAll(List.of(headers));
        Reply reply = commands.post("/api/v1/main/logs", body, all.toArray(String[]::new));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return Long.parseLong(reply.header("Osprey-Position"));
    }

    private static JsonNode searchAt(HttpJson queries, String query, long position) {
        Reply reply = queries.get("/api/v1/main/logs/search?" + query + "&position=" + position);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.header("Osprey-Position-Reached")).isEqualTo("true");
        return reply.json();
    }

    @Test
    void ingestedLinesAreSearchableAtTheirPositionOnceEvenWhenRetriedAndAfterARestart() {
        sides = new SeparateSides(blobRoot);
        HttpJson commands = new HttpJson(sides.commandUrl());
        Instant start = Instant.parse("2026-11-26T08:00:00Z");
        String batch = ndjson("exec1", 2500, start);

        long position = ingest(commands, batch, "Idempotency-Key", "batch-1");
        assertThat(ingest(commands, batch, "Idempotency-Key", "batch-1")).as("a retry replays").isEqualTo(position);

        HttpJson queries = new HttpJson(sides.queryUrl());
        JsonNode page = searchAt(queries, "q=row_count%3D1234&namespace=company", position);
        assertThat(page.get("results")).singleElement()
                .satisfies(line -> assertThat(line.get("message").asText()).isEqualTo("Loaded row_count=1234 from s3://bucket/part-1234.csv"));
        assertThat(searchAt(queries, "executionId=exec1&minLevel=ERROR", position).get("total").asLong()).isEqualTo(250);
        assertThat(queries.get("/api/v1/main/logs/exec1").json()).hasSize(2500);

        sides.stopQuerySide();
        long more = ingest(commands, ndjson("exec2", 10, start));
        sides.startQuerySide();
        queries = new HttpJson(sides.queryUrl());
        JsonNode loaded = searchAt(queries, "q=loaded", more);
        if (loaded.get("totalExact").asBoolean()) {
            assertThat(loaded.get("total").asLong()).as(loaded.toString()).isEqualTo(2510);
        } else {
            assertThat(loaded.get("total").asLong()).as("a lower bound past the counting limit").isGreaterThanOrEqualTo(1000);
        }
        assertThat(queries.get("/api/v1/main/logs/exec1").json()).hasSize(2500);
        assertThat(queries.get("/api/v1/main/logs/exec2").json()).hasSize(10);

        Reply deleted = commands.delete("/api/v1/main/logs/exec1");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        long deletedAt = Long.parseLong(deleted.header("Osprey-Position"));
        assertThat(searchAt(queries, "executionId=exec1", deletedAt).get("total").asLong()).isZero();
        assertThat(searchAt(queries, "executionId=exec2", deletedAt).get("total").asLong()).isEqualTo(10);
    }
}
