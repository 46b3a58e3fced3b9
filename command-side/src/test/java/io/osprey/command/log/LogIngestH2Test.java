package io.osprey.command.log;

import io.osprey.command.CommandSideApplication;
import io.osprey.events.EventSerialization;
import io.osprey.events.log.LogBatchAppended;
import io.osprey.events.log.LogBatchCodec;
import io.osprey.events.log.LogLine;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log ingest on H2, the embedded default the standalone application runs the command side on: the key table's
 * migration, a batch of the default size in default slices, idempotent replay and deletion.
 */
class LogIngestH2Test {

    private static ConfigurableApplicationContext app;
    private static LogHttp http;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        app = CommandSideApplication.builder().run(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:logs-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "--spring.datasource.username=sa",
                "--spring.datasource.password=");
        http = new LogHttp("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort());
        jdbc = app.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aBatchIsSlicedStoredAndReplayedOnH2() {
        String ndjson = IntStream.range(0, 2_500).mapToObj(i -> "{\"namespace\":\"company.team\",\"flowId\":\"etl\","
                        + "\"executionId\":\"e" + (i / 1000) + "\",\"taskId\":\"t\",\"level\":\"INFO\",\"timestamp\":\"2026-11-26T10:00:"
                        + String.format("%02d", i % 60) + "Z\",\"thread\":\"w\",\"message\":\"row " + i + "\"}")
                .collect(Collectors.joining("\n"));

        Reply first = http.post("/api/v1/main/logs", LogHttp.NDJSON, ndjson, "Idempotency-Key", "h2-batch");
        Reply again = http.post("/api/v1/main/logs", LogHttp.NDJSON, ndjson, "Idempotency-Key", "h2-batch");
        Reply reused = http.post("/api/v1/main/logs", LogHttp.NDJSON, ndjson + "\n", "Idempotency-Key", "h2-batch");

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("lines").asInt()).isEqualTo(2_500);
        assertThat(first.json().get("events").asInt()).isEqualTo(3);
        List<LogBatchAppended> stored = jdbc.query("SELECT payload FROM domain_event_entry WHERE payload_type = ? ORDER BY global_index",
                (row, n) -> read(row.getBytes(1)), LogBatchAppended.class.getName());
        assertThat(stored).extracting(LogBatchAppended::lineCount).containsExactly(1000, 1000, 500);
        List<LogLine> lines = stored.stream().flatMap(event -> LogBatchCodec.decode(event.encodedLines()).stream()).toList();
        assertThat(lines).hasSize(2_500);
        assertThat(lines.get(2_499).message()).isEqualTo("row 2499");
        assertThat(lines.get(1_234).executionId()).isEqualTo("e1");
        assertThat(first.header("Osprey-Position")).isEqualTo(jdbc.queryForObject(
                "SELECT MAX(global_index) FROM domain_event_entry", Long.class).toString());
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(again.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(reused.status()).isEqualTo(422);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class)).isEqualTo(3);

        Reply deleted = http.delete("/api/v1/main/logs?namespace=company&before=2026-11-27T00:00:00Z");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class)).isEqualTo(4);
        assertThat(app.getBean(IdempotencyKeys.class).purgeExpired()).isZero();
    }

    private static LogBatchAppended read(byte[] payload) {
        try {
            return EventSerialization.objectMapper().readValue(payload, LogBatchAppended.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
