package io.osprey.command.log;

import io.osprey.command.CommandSideApplication;
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

/** PostgreSQL goes away under log ingest and deletion (a proxy cuts it off) and comes back. */
class LogDatabaseOutageTest {

    private static final String BATCH = "[{\"namespace\":\"company.team\",\"flowId\":\"etl\",\"executionId\":\"e1\","
            + "\"level\":\"INFO\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"message\":\"hello\"}]";
    private static TestDatabase database;
    private static TcpProxy databaseLink;
    private static ConfigurableApplicationContext app;
    private static LogHttp http;

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
        http = new LogHttp("http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort());
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
    void logRequestsFailWith503WhileTheDatabaseIsDownAndSucceedAgainWithoutARestart() throws SQLException {
        assertThat(http.post("/api/v1/main/logs", LogHttp.JSON, BATCH).status()).isEqualTo(200);
        long before = count("SELECT COUNT(*) FROM domain_event_entry");

        databaseLink.cut();
        try {
            assertUnavailable(http.post("/api/v1/main/logs", LogHttp.JSON, BATCH));
            assertUnavailable(http.post("/api/v1/main/logs", LogHttp.NDJSON, BATCH.substring(1, BATCH.length() - 1),
                    "Idempotency-Key", "during-outage"));
            assertUnavailable(http.delete("/api/v1/main/logs/e1"));
            assertUnavailable(http.delete("/api/v1/main/logs?namespace=company"));
        } finally {
            databaseLink.restore();
        }

        assertThat(count("SELECT COUNT(*) FROM domain_event_entry")).as("nothing half-written").isEqualTo(before);
        assertThat(count("SELECT COUNT(*) FROM log_idempotency_keys")).isZero();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(http.post("/api/v1/main/logs", LogHttp.JSON, BATCH, "Idempotency-Key", "during-outage").status())
                        .isEqualTo(200));
        assertThat(http.delete("/api/v1/main/logs/e1").status()).isEqualTo(200);
        assertThat(count("SELECT COUNT(*) FROM domain_event_entry")).isEqualTo(before + 2);
        assertThat(count("SELECT COUNT(*) FROM log_idempotency_keys")).isEqualTo(1);
    }

    private static void assertUnavailable(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.header("Retry-After")).isEqualTo("1");
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
