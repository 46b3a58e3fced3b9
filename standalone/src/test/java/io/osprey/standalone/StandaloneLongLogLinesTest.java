package io.osprey.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.testsupport.HttpJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long log lines through a small heap: 15 MB batches of 60,000-character messages go in one after the other, then a
 * search page, the execution's lines and its download, 60 MB each, come out twice each at the same time. Before
 * events were capped in size, the second batch ran this server out of memory (Axon's cache held every batch whole,
 * twice) and the embedded database closed for good; before reads were bounded, each read held its whole reply.
 */
class StandaloneLongLogLinesTest extends StandaloneProcessTest {

    private static final int BATCHES = 4;
    private static final int LINES_PER_BATCH = 250;
    private static final int LINES = BATCHES * LINES_PER_BATCH;
    private static final int MESSAGE_CHARS = 60_000;
    /** Reads of each kind at once: six replies of 60 MB, more than the server's heap together. */
    private static final int READS_EACH = 2;
    private static final String EXECUTION = "longlines";
    private static final String[] VOCABULARY = vocabulary(5000);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void longLinesGoInAndComeOutOfASmallHeap() throws Exception {
        server = StandaloneProcess.start(dir, List.of("-Xmx256m"), "--osprey.data-dir=" + dir.resolve("data"));
        HttpJson http = new HttpJson(server.baseUrl());
        Random random = new Random(42);
        long position = -1;
        for (int batch = 0; batch < BATCHES; batch++) {
            HttpJson.Reply stored = http.post("/api/v1/main/logs", batch(batch, random), "Content-Type", "application/json");
            assertThat(stored.status()).as("batch %d: %s\n%s", batch, stored.body(), server.logTail()).isEqualTo(200);
            assertThat(stored.json().get("events").asInt()).as("slices of at most 256 Ki characters").isGreaterThan(1);
            position = stored.json().get("position").asLong();
        }

        String after = "position=" + position;
        List<CompletableFuture<HttpJson.Reply>> pages = new ArrayList<>();
        List<CompletableFuture<HttpJson.Reply>> lines = new ArrayList<>();
        List<CompletableFuture<HttpJson.Reply>> downloads = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(3 * READS_EACH);
        for (int i = 0; i < READS_EACH; i++) {
            pages.add(CompletableFuture.supplyAsync(() -> http.get("/api/v1/main/logs/search?executionId=" + EXECUTION
                    + "&size=" + LINES + "&sort=timestamp:asc&" + after), readers));
            lines.add(CompletableFuture.supplyAsync(() -> http.get("/api/v1/main/logs/" + EXECUTION + "?" + after), readers));
            downloads.add(CompletableFuture.supplyAsync(() -> http.get(
                    "/api/v1/main/logs/" + EXECUTION + "/download?" + after), readers));
        }
        readers.shutdown();

        for (CompletableFuture<HttpJson.Reply> page : pages) {
            HttpJson.Reply found = page.get(3, TimeUnit.MINUTES);
            assertThat(found.status()).as("%s\n%s", abbreviated(found), server.logTail()).isEqualTo(200);
            assertThat(found.json().get("total").asInt()).isEqualTo(LINES);
            assertEveryLine(found.json().get("results"));
        }
        for (CompletableFuture<HttpJson.Reply> execution : lines) {
            HttpJson.Reply all = execution.get(3, TimeUnit.MINUTES);
            assertThat(all.status()).as("%s\n%s", abbreviated(all), server.logTail()).isEqualTo(200);
            assertEveryLine(all.json());
        }
        for (CompletableFuture<HttpJson.Reply> download : downloads) {
            HttpJson.Reply text = download.get(3, TimeUnit.MINUTES);
            assertThat(text.status()).as("%s\n%s", abbreviated(text), server.logTail()).isEqualTo(200);
            assertThat(text.body().lines()).hasSize(LINES).allSatisfy(line -> assertThat(line).hasSizeGreaterThan(MESSAGE_CHARS));
        }
        assertThat(http.get("/actuator/health").body()).contains("\"status\":\"UP\"");
    }

    /** Every line, in time order, each with its whole message. */
    private static void assertEveryLine(JsonNode lines) {
        assertThat(lines).hasSize(LINES);
        for (int i = 0; i < LINES; i++) {
            JsonNode line = lines.get(i);
            assertThat(line.get("message").asText()).as("line %d", i).hasSize(MESSAGE_CHARS).startsWith("line " + i + " ");
        }
    }

    private String batch(int batch, Random random) {
        ArrayNode lines = json.createArrayNode();
        Instant start = Instant.parse("2026-11-26T10:00:00Z");
        for (int i = 0; i < LINES_PER_BATCH; i++) {
            int number = batch * LINES_PER_BATCH + i;
            ObjectNode line = lines.addObject();
            line.put("namespace", "company.team");
            line.put("flowId", "long");
            line.put("executionId", EXECUTION);
            line.put("taskId", "dump");
            line.put("level", "INFO");
            line.put("timestamp", start.plusMillis(number).toString());
            line.put("thread", "worker");
            line.put("message", message(number, random));
        }
        return lines.toString();
    }

    /** Words drawn from a vocabulary, as log payloads repeat theirs: text that deflate shrinks by about half. */
    private static String message(int number, Random random) {
        StringBuilder message = new StringBuilder(MESSAGE_CHARS + 16).append("line ").append(number).append(' ');
        while (message.length() < MESSAGE_CHARS) {
            message.append(VOCABULARY[random.nextInt(VOCABULARY.length)]).append(' ');
        }
        message.setLength(MESSAGE_CHARS);
        return message.toString();
    }

    private static String[] vocabulary(int words) {
        Random random = new Random(7);
        String[] vocabulary = new String[words];
        for (int w = 0; w < words; w++) {
            char[] letters = new char[3 + random.nextInt(7)];
            for (int i = 0; i < letters.length; i++) {
                letters[i] = (char) ('a' + random.nextInt(26));
            }
            vocabulary[w] = new String(letters);
        }
        return vocabulary;
    }

    private static String abbreviated(HttpJson.Reply reply) {
        String body = reply.body();
        return body.length() <= 500 ? body : body.substring(0, 500) + "…";
    }
}
