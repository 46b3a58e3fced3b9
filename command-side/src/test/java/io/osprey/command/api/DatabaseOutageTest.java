package io.osprey.command.api;

import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PostgreSQL goes away under a running command side (a proxy cuts it off) and comes back. */
class DatabaseOutageTest {

    private static final String CREATE = "{\"namespace\":\"company.team\",\"flowId\":\"hello\",\"flowRevision\":1}";
    private static ProxiedCommandSide commandSide;
    private static HttpJson http;
    private static HttpFiles files;
    @TempDir
    static Path blobRoot;

    @BeforeAll
    static void start() throws Exception {
        commandSide = new ProxiedCommandSide("--osprey.blob.local.root=" + blobRoot);
        http = new HttpJson(commandSide.baseUrl());
        files = new HttpFiles(commandSide.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    @Test
    void commandsFailWith503WhileTheDatabaseIsDownAndSucceedAgainWithoutARestart() throws SQLException {
        String id = http.post("/api/v1/main/executions", CREATE).json().get("id").asText();
        long before = eventCount();

        commandSide.cutDatabase();
        try {
            for (String path : new String[]{"/api/v1/main/executions", "/api/v1/main/executions/" + id + "/state"}) {
                Reply reply = http.post(path, path.endsWith("state") ? "{\"state\":\"RUNNING\"}" : CREATE);
                assertThat(reply.status()).as(reply.body()).isEqualTo(503);
                assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
                assertThat(reply.header("Retry-After")).isEqualTo("1");
            }
        } finally {
            commandSide.restoreDatabase();
        }

        assertThat(eventCount()).as("nothing half-written").isEqualTo(before);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(http.post("/api/v1/main/executions/" + id + "/state", "{\"state\":\"RUNNING\"}").status())
                        .isEqualTo(200));
        assertThat(eventCount()).isEqualTo(before + 1);
    }

    @Test
    void filesOfCommandsRefusedWhileTheDatabaseIsDownAreNotKept() throws Exception {
        byte[] content = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        assertThat(files.upload("/api/v1/main/namespaces/company.team/files?path=/kept.csv", content).status()).isEqualTo(201);
        List<Path> before = blobs();
        assertThat(before).hasSize(1);

        commandSide.cutDatabase();
        try {
            Reply upload = files.upload("/api/v1/main/namespaces/company.team/files?path=/refused.csv", content);
            assertThat(upload.status()).as(upload.body()).isEqualTo(503);
            Reply create = files.form("/api/v1/main/executions", Map.of("namespace", "company.team", "flowId", "hello",
                    "flowRevision", "1"), "data", "data.csv", content);
            assertThat(create.status()).as(create.body()).isEqualTo(503);
        } finally {
            commandSide.restoreDatabase();
        }

        assertThat(blobs()).as("no event points at them: deleted, not left to the sweep").isEqualTo(before);
    }

    private static List<Path> blobs() throws IOException {
        try (Stream<Path> tree = Files.walk(blobRoot)) {
            return tree.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static long eventCount() throws SQLException {
        return commandSide.count("SELECT COUNT(*) FROM domain_event_entry");
    }
}
