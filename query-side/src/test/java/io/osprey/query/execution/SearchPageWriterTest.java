package io.osprey.query.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A search page is written execution by execution into its spool, in memory up to a limit, in a file beyond. */
class SearchPageWriterTest {

    private final ObjectMapper json = new ObjectMapper();

    private static ExecutionView execution(String id, String inputs) {
        return new ExecutionView(id, "company.team", "hello", 1, "main", List.of(), inputs, "{}", "{}", null, null, 0,
                null, null, null);
    }

    private JsonNode page(PageSpool spool, int executions, String inputs) throws IOException {
        SearchPageWriter writer = new SearchPageWriter(json, json.writerFor(ExecutionView.class), spool);
        writer.total(executions + 100);
        for (int i = 0; i < executions; i++) {
            writer.execution(execution("e" + i, inputs));
        }
        writer.finish();
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        spool.sendTo(client);
        return json.readTree(client.toByteArray());
    }

    @Test
    void aSmallPageStaysInMemory() throws IOException {
        try (PageSpool spool = new PageSpool(64 * 1024)) {
            JsonNode page = page(spool, 2, "{\"a\":1}");

            assertThat(spool.spilled()).isFalse();
            assertThat(page.get("total").asLong()).isEqualTo(102);
            assertThat(page.get("results")).extracting(result -> result.get("id").asText()).containsExactly("e0", "e1");
            assertThat(page.get("results").get(1).get("inputs").toString()).isEqualTo("{\"a\":1}");
        }
    }

    @Test
    void aPageBeyondTheLimitGoesToATemporaryFileDeletedOnClose() throws IOException {
        String inputs = "{\"data\":\"" + "x".repeat(10_000) + "\"}";
        List<Path> before = spoolFiles();
        PageSpool spool = new PageSpool(64 * 1024);
        JsonNode page = page(spool, 30, inputs);

        assertThat(spool.spilled()).isTrue();
        assertThat(spoolFiles()).hasSize(before.size() + 1);
        assertThat(page.get("results")).hasSize(30);
        assertThat(page.get("results").get(29).get("id").asText()).isEqualTo("e29");
        assertThat(page.get("results").get(29).get("inputs").get("data").asText()).hasSize(10_000);

        spool.close();
        assertThat(spoolFiles()).containsExactlyInAnyOrderElementsOf(before);
    }

    private static List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(file -> file.getFileName().toString().startsWith("osprey-page-")).toList();
        }
    }
}
