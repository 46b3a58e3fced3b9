package io.osprey.command.api;

import io.osprey.command.CommandSideApplication;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import io.osprey.testsupport.TcpProxy;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PostgreSQL goes away under a running command side (a proxy cuts it off) and comes back. */
class DatabaseOutageTest {

    private static final String CREATE = "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}";
    private static TestDatabase database;
    private static TcpProxy databaseLink;
    private static ConfigurableApplicationContext app;
    private static HttpJson http;

    @BeforeAll
    static void start() throws Exception {
        database = TestPostgres.createDatabase();
        URI target = URI.create(database.url().substring("jdbc:".length()));
        databaseLink = new TcpProxy(target.getHost(), target.getPort());
        String proxied = database.url().replace(target.getHost() + ":" + target.getPort(), "127.0.0.1:" + databaseLink.port());
        app = CommandSideApplication.builder().run(
                "--server.port=0",
                "--spring.datasource.url=" + proxied,
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(),
                "--spring.datasource.hikari.connection-timeout=1000");
        http = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (databaseLink != null) {
            databaseLink.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void commandsFailWith503WhileTheDatabaseIsDownAndSucceedAgainWithoutARestart() throws SQLException {
        String id = http.post("/api/v1/main/executions", CREATE).json().get("id").asText();
        long before = eventCount();

        databaseLink.cut();
        try {
            for (String path : new String[]{"/api/v1/main/executions", "/api/v1/main/executions/" + id + "/state"}) {
                Reply reply = http.post(path, path.endsWith("state") ? "{\"state\":\"RUNNING\"}" : CREATE);
                assertThat(reply.status()).as(reply.body()).isEqualTo(503);
                assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
                assertThat(reply.header("Retry-After")).isEqualTo("1");
            }
        } finally {
            databaseLink.restore();
        }

        assertThat(eventCount()).as("nothing half-written").isEqualTo(before);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(http.post("/api/v1/main/executions/" + id + "/state", "{\"state\":\"RUNNING\"}").status())
                        .isEqualTo(200));
        assertThat(eventCount()).isEqualTo(before + 1);
    }

    private static long eventCount() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM domain_event_entry")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
