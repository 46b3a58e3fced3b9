package io.osprey.standalone;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search page is written as it is read: pages of executions whose inputs are near the limit of a command
 * (250 KB each), three at once, each larger than the server's heap, on PostgreSQL. Held whole, they ran a 256 MB query
 * side out of memory, which stopped a projection for good; here the server runs with {@code -Xmx128m} and
 * {@code -XX:+ExitOnOutOfMemoryError}.
 */
class LargeSearchPageStreamingTest extends StandaloneProcessTest {

    private static final int EXECUTIONS = 400;
    private static final int INPUTS = 240;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final TestDatabase database = TestPostgres.createDatabase();

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void pagesFarLargerThanTheServersHeapAreServedWhole() throws Exception {
        List<String> arguments = new ArrayList<>(List.of(database.springArgs()));
        arguments.add("--osprey.data-dir=" + dir.resolve("data"));
        server = StandaloneProcess.start(dir, List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"),
                arguments.toArray(String[]::new));
        StringBuilder inputs = new StringBuilder("{");
        for (int i = 0; i < INPUTS; i++) {
            inputs.append(i == 0 ? "" : ",").append("\"input").append(i).append("\":\"")
                    .append(Integer.toString(i).repeat(1000).substring(0, 1000)).append('"');
        }
        String create = "{\"namespace\":\"company.large\",\"flowId\":\"wide\",\"flowRevision\":1,\"inputs\":" + inputs + "}}";
        String position = null;
        for (int i = 0; i < EXECUTIONS; i++) {
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/main/executions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(create)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            position = created.headers().firstValue("Osprey-Position").orElseThrow();
        }

        String search = server.baseUrl() + "/api/v1/main/executions/search?namespace=company.large&size=" + EXECUTIONS
                + "&position=" + position;
        List<CompletableFuture<long[]>> pages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pages.add(CompletableFuture.supplyAsync(() -> page(search)));
        }
        for (CompletableFuture<long[]> page : pages) {
            long[] read = page.get(3, TimeUnit.MINUTES);
            assertThat(read[0]).as("status").isEqualTo(200);
            assertThat(read[1]).as("executions on the page").isEqualTo(EXECUTIONS);
            assertThat(read[2]).as("total").isEqualTo(EXECUTIONS);
            assertThat(read[3]).as("bytes").isGreaterThan(EXECUTIONS * INPUTS * 1000L);
        }
        assertThat(server.isAlive()).as(server.logTail()).isTrue();
    }

    /** Status, executions, total and bytes of a page, read as a stream: the test holds no page whole either. */
    private static long[] page(String search) {
        try {
            HttpResponse<InputStream> reply = HTTP.send(HttpRequest.newBuilder(URI.create(search)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long executions = 0;
            long total = -1;
            try (CountingStream body = new CountingStream(reply.body());
                 JsonParser json = new JsonFactory().createParser(body)) {
                for (JsonToken token = json.nextToken(); token != null; token = json.nextToken()) {
                    if (token == JsonToken.FIELD_NAME && json.getParsingContext().getParent().inRoot()) {
                        if (json.currentName().equals("total")) {
                            json.nextToken();
                            total = json.getLongValue();
                        }
                    } else if (token == JsonToken.START_OBJECT && json.getParsingContext().getParent().inArray()
                            && json.getParsingContext().getParent().getParent().inObject()
                            && json.getParsingContext().getParent().getParent().getParent().inRoot()) {
                        executions++;
                        json.skipChildren();
                    }
                }
                return new long[]{reply.statusCode(), executions, total, body.bytes};
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingStream extends InputStream {
        private final InputStream in;
        private long bytes;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            bytes += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            bytes += Math.max(n, 0);
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
