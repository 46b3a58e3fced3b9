package io.osprey.query.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.osprey.query.projection.QueryProperties;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A search page is written execution by execution, and cut off once its time to be written out has passed. */
class SearchPageWriterTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());

    private static ExecutionView execution(String id) {
        return new ExecutionView(id, "company.team", "hello", 1, "main", List.of(), "{}", "{}", "{}", null, null, 0,
                null, null, null);
    }

    @Test
    void aPageWrittenInTimeIsWholeJson() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SearchPageWriter writer = new SearchPageWriter(json, json.writerFor(ExecutionView.class), out, Duration.ofMinutes(1));

        writer.total(7);
        writer.execution(execution("a"));
        writer.execution(execution("b"));
        writer.finish();

        JsonNode page = json.readTree(out.toByteArray());
        assertThat(page.get("total").asLong()).isEqualTo(7);
        assertThat(page.get("results")).extracting(result -> result.get("id").asText()).containsExactly("a", "b");
    }

    @Test
    void aPageNotWrittenOutWithinItsTimeoutIsCutOffBeforeItsNextExecution() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SearchPageWriter writer = new SearchPageWriter(json, json.writerFor(ExecutionView.class), out, Duration.ofNanos(1));
        writer.total(2);

        // the IOException ends the streamed reply as a client that left would: the query's transaction ends with it
        assertThatThrownBy(() -> writer.execution(execution("a")))
                .isInstanceOf(IOException.class).hasMessageContaining("not read within PT0.000000001S: cut off");
        assertThat(out.toString()).doesNotContain("\"a\"");
    }

    @Test
    void theTimeoutIsAMinuteUnlessConfiguredAndMustBePositive() {
        assertThat(new QueryProperties(null, null, null, null, null).pageWriteTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> new QueryProperties(null, null, null, null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("osprey.query.page-write-timeout");
    }
}
