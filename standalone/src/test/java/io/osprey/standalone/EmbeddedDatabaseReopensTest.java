package io.osprey.standalone;

import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded H2 database shuts down under the running application, as H2 does when a statement runs out of memory
 * or its store fails: requests get 503 meanwhile, and the application opens it again by itself.
 */
class EmbeddedDatabaseReopensTest {

    private static final String CREATE = "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}";

    @TempDir
    static Path dataDir;
    private static ConfigurableApplicationContext app;
    private static HttpJson http;

    @BeforeAll
    static void start() {
        app = StandaloneApplication.builder().run("--server.port=0", "--osprey.data-dir=" + dataDir);
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void requestsAre503WhileTheDatabaseIsClosedAndTheApplicationReopensIt() {
        Reply before = http.post("/api/v1/main/executions", CREATE);
        assertThat(before.status()).as(before.body()).isEqualTo(201);
        String id = before.json().get("id").asText();

        app.getBean(JdbcTemplate.class).execute("SHUTDOWN");

        List<String> replies = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Reply created = http.post("/api/v1/main/executions", CREATE);
            replies.add(created.status() + " " + created.header("Content-Type"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        });
        assertThat(replies).as("never a 500 meanwhile").allSatisfy(reply ->
                assertThat(reply).matches("201 application/json.*|503 application/problem\\+json"));

        // what was written before the close is still there, and the projections went on from where they were
        Reply after = http.get("/api/v1/main/executions/" + id + "?position=" + http.post("/api/v1/main/executions", CREATE)
                .header("Osprey-Position"));
        assertThat(after.status()).as(after.body()).isEqualTo(200);
    }
}
