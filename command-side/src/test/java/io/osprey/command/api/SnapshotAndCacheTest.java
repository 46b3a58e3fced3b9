package io.osprey.command.api;

import io.osprey.command.CommandSideApplication;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Long executions are loaded from snapshots, and two command-side nodes with their own caches on one
 * database still never lose an update (a stale cache entry costs a retry, not a write).
 */
class SnapshotAndCacheTest {

    private final TestDatabase database = TestPostgres.createDatabase();
    private ConfigurableApplicationContext nodeA;
    private ConfigurableApplicationContext nodeB;

    @AfterEach
    void stop() {
        Stream.of(nodeA, nodeB).filter(node -> node != null).forEach(ConfigurableApplicationContext::close);
        database.close();
    }

    private ConfigurableApplicationContext node() {
        return CommandSideApplication.builder().run(Stream.concat(
                Stream.of("--server.port=0", "--osprey.command.snapshot-every=10"),
                Stream.of(database.springArgs())).toArray(String[]::new));
    }

    private static HttpJson http(ConfigurableApplicationContext node) {
        return new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) node).getWebServer().getPort());
    }

    @Test
    void longExecutionsAreSnapshottedAndStillObeyTheirRules() throws SQLException {
        nodeA = node();
        HttpJson a = http(nodeA);
        String id = a.post("/api/v1/main/executions", "{\"namespace\":\"n\",\"flowId\":\"f\",\"flowRevision\":1}")
                .json().get("id").asText();
        for (int i = 0; i < 25; i++) {
            assertThat(a.post("/api/v1/main/executions/" + id + "/taskruns", "{\"taskId\":\"t\",\"taskRunId\":\"r" + i + "\"}")
                    .status()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM snapshot_event_entry") > 0);

        nodeA.close();
        nodeA = node();
        HttpJson restarted = http(nodeA);

        assertThat(restarted.post("/api/v1/main/executions/" + id + "/taskruns", "{\"taskId\":\"t\",\"taskRunId\":\"r3\"}")
                .status()).as("known from the snapshot").isEqualTo(409);
        Reply next = restarted.post("/api/v1/main/executions/" + id + "/taskruns", "{\"taskId\":\"t\",\"taskRunId\":\"r25\"}");
        assertThat(next.status()).isEqualTo(201);
        assertThat(next.json().get("version").asLong()).isEqualTo(26);
    }

    @Test
    void twoNodesWithTheirOwnCachesNeverLoseAnUpdate() throws SQLException {
        nodeA = node();
        nodeB = node();
        HttpJson a = http(nodeA);
        HttpJson b = http(nodeB);
        String id = a.post("/api/v1/main/executions", "{\"namespace\":\"n\",\"flowId\":\"f\",\"flowRevision\":1}")
                .json().get("id").asText();

        for (int i = 0; i < 10; i++) {
            HttpJson node = i % 2 == 0 ? a : b;
            Reply reply = node.post("/api/v1/main/executions/" + id + "/taskruns", "{\"taskId\":\"t\",\"taskRunId\":\"r" + i + "\"}");
            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
            assertThat(reply.json().get("version").asLong()).isEqualTo(i + 1);
        }
        Reply guarded = b.post("/api/v1/main/executions/" + id + "/state", "{\"state\":\"RUNNING\"}", "If-Match", "\"10\"");
        assertThat(guarded.status()).as(guarded.body()).isEqualTo(200);
        assertThat(a.post("/api/v1/main/executions/" + id + "/state", "{\"state\":\"SUCCESS\"}", "If-Match", "\"10\"")
                .status()).isEqualTo(412);

        assertThat(count("SELECT COUNT(*) FROM domain_event_entry")).isEqualTo(12);
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
