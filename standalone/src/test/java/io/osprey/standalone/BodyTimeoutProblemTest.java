package io.osprey.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osprey.testsupport.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body that stops arriving is refused by Tomcat after its read timeout, with a 408 that the application's error
 * page answers: a problem naming the body, and nothing written.
 */
class BodyTimeoutProblemTest {

    @TempDir
    static Path dataDir;
    private static ConfigurableApplicationContext app;
    private static int port;

    @BeforeAll
    static void start() {
        app = StandaloneApplication.builder().run("--server.port=0", "--osprey.data-dir=" + dataDir,
                "--server.tomcat.connection-timeout=500ms");
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/v1/main/logs|application/x-ndjson|{\"namespace\":\"company.team\",\"flowId\":\"f\",\"executionId\":\"cut\"",
            "/api/v1/main/executions|application/json|{\"namespace\":\"company.team\",\"flowId\":\"cut\","})
    void aBodyThatStopsArrivingIsA408ProblemAndWritesNothing(String path, String contentType, String start) throws Exception {
        String reply;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: 10000\r\nConnection: close\r\n\r\n" + start).getBytes(StandardCharsets.UTF_8));
            out.flush();
            reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(reply).startsWith("HTTP/1.1 408").containsIgnoringCase("Content-Type: application/problem+json");
        JsonNode problem = new ObjectMapper().readTree(reply.substring(reply.indexOf('{'), reply.lastIndexOf('}') + 1));
        assertThat(problem.get("type").asText()).isEqualTo("urn:osprey:problem:timeout");
        assertThat(problem.get("field").asText()).isEqualTo("body");
        assertThat(problem.get("rule").asText()).isEqualTo("timeout");
        // a write after it, and reads that reflect that write: nothing of the cut request is there
        HttpJson http = new HttpJson("http://127.0.0.1:" + port);
        String laterId = "later-" + path.substring(path.lastIndexOf('/') + 1);
        HttpJson.Reply later = http.post("/api/v1/main/logs", "[{\"namespace\":\"company.team\",\"flowId\":\"f\","
                + "\"executionId\":\"" + laterId + "\",\"level\":\"INFO\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"message\":\"m\"}]");
        assertThat(later.status()).as(later.body()).isEqualTo(200);
        String position = later.header("Osprey-Position");
        assertThat(http.get("/api/v1/main/executions/search?flowId=cut&position=" + position).json().get("total").asInt()).isZero();
        assertThat(http.get("/api/v1/main/logs/search?executionId=cut&position=" + position).json().get("total").asInt()).isZero();
        assertThat(http.get("/api/v1/main/logs/search?executionId=" + laterId + "&position=" + position).json().get("total").asInt()).isOne();
    }
}
