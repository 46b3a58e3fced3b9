package io.osprey.standalone;

import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded H2 database shuts down under the running application, as H2 does when a statement runs out of memory
 * or its store fails: requests are 503 problems, not 500s, until a restart opens the database again, with everything
 * written before.
 */
class EmbeddedDatabaseShutDownTest {

    private static final String CREATE = "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}";

    @TempDir
    Path dataDir;
    private ConfigurableApplicationContext app;

    private HttpJson start() {
        app = StandaloneApplication.builder().run("--server.port=0", "--osprey.data-dir=" + dataDir);
        return new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort());
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void requestsAre503UntilARestartOpensTheDatabaseAgainWithWhatWasWritten() {
        HttpJson http = start();
        Reply before = http.post("/api/v1/main/executions", CREATE);
        assertThat(before.status()).as(before.body()).isEqualTo(201);
        String id = before.json().get("id").asText();

        app.getBean(JdbcTemplate.class).execute("SHUTDOWN");

        for (int i = 0; i < 3; i++) {
            Reply refused = http.post("/api/v1/main/executions", CREATE);
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(http.get("/api/v1/main/executions/" + id).status()).isEqualTo(503);
        }

        app.close();
        http = start();
        Reply after = http.post("/api/v1/main/executions", CREATE);
        assertThat(after.status()).as(after.body()).isEqualTo(201);
        Reply read = http.get("/api/v1/main/executions/" + id + "?position=" + after.header("Osprey-Position"));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
    }
}
