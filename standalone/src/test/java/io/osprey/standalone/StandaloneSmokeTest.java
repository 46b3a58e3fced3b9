package io.osprey.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Standalone on the embedded default (H2 file database under a data directory): write, read, restart, read again. */
class StandaloneSmokeTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return StandaloneApplication.builder().run("--server.port=0", "--osprey.data-dir=" + dataDir);
    }

    private static HttpJson http(ConfigurableApplicationContext app) {
        return new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort());
    }

    @Test
    void writesAndReadsOnTheEmbeddedDefaultAndKeepsDataAcrossARestart() {
        String id;
        try (ConfigurableApplicationContext app = start()) {
            HttpJson http = http(app);
            assertThat(http.get("/actuator/health").json().at("/components/db/details/database").asText()).isEqualTo("H2");
            Reply created = http.post("/api/v1/main/executions",
                    "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            id = created.json().get("id").asText();
            Reply running = http.post("/api/v1/main/executions/" + id + "/state", "{\"state\":\"RUNNING\"}");

            Reply view = http.get("/api/v1/main/executions/" + id + "?position=" + running.header("Osprey-Position"));

            assertThat(view.status()).as(view.body()).isEqualTo(200);
            assertThat(view.json().at("/state/current").asText()).isEqualTo("RUNNING");
            assertThat(http.get("/api/v1/main/executions/search?namespace=company.team").json().get("total").asInt()).isEqualTo(1);
        }
        assertThat(Files.exists(dataDir.resolve("db/osprey.mv.db"))).isTrue();

        try (ConfigurableApplicationContext app = start()) {
            JsonNode view = http(app).get("/api/v1/main/executions/" + id).json();
            assertThat(view.at("/state/current").asText()).isEqualTo("RUNNING");
        }
    }

    @Test
    void ingestsAndSearchesLogsOnTheEmbeddedDefaultAndKeepsTheIndexAcrossARestart() {
        // a line of today, in its day's partition
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String line = "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"executionId\":\"exec1\",\"level\":\"WARN\","
                + "\"timestamp\":\"" + now + "\",\"message\":\"HTTP 503 from https://api.example.com\"}";
        try (ConfigurableApplicationContext app = start()) {
            HttpJson http = http(app);
            Reply ingested = http.post("/api/v1/main/logs", "[" + line + "," + line.replace("503", "200") + "]");
            assertThat(ingested.status()).as(ingested.body()).isEqualTo(200);

            Reply found = http.get("/api/v1/main/logs/search?q=%22HTTP%20503%22&position=" + ingested.header("Osprey-Position"));

            assertThat(found.status()).as(found.body()).isEqualTo(200);
            assertThat(found.json().get("total").asLong()).isEqualTo(1);
        }
        assertThat(Files.isDirectory(dataDir.resolve("logs-index/main/" + LocalDate.ofInstant(now, ZoneOffset.UTC)))).isTrue();

        try (ConfigurableApplicationContext app = start()) {
            assertThat(http(app).get("/api/v1/main/logs/exec1").json()).hasSize(2);
        }
    }
}
