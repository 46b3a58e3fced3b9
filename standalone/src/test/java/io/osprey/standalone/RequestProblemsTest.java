package io.osprey.standalone;

import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests refused outside any controller are problems too: by Spring MVC before a controller takes them, while
 * reading a body sent as multipart that is not one, or by Tomcat before the application sees them. Standalone runs
 * both sides in one application, where the command side's multipart reading also applies to the query side.
 */
class RequestProblemsTest {

    /** No boundary: no multipart body can be read with it. */
    private static final String BROKEN_MULTIPART = "multipart/form-data";

    @TempDir
    static Path dataDir;
    private static ConfigurableApplicationContext app;
    private static HttpJson http;
    private static String baseUrl;

    @BeforeAll
    static void start() {
        app = StandaloneApplication.builder().run("--server.port=0", "--osprey.data-dir=" + dataDir);
        baseUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
        http = new HttpJson(baseUrl);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aQuerySentWithABrokenMultipartBodyIs400() {
        Reply reply = http.get("/api/v1/main/executions/search?namespace=company", "Content-Type", BROKEN_MULTIPART);

        assertProblem(reply, 400, "invalid-input", "body", "multipart");
    }

    @Test
    void aCommandWithABrokenMultipartBodyIs400AndWritesNothing() {
        String files = "/api/v1/main/namespaces/company.team/files/directory?path=";

        Reply refused = http.post("/api/v1/main/namespaces/company.team/files?path=/refused", "--osprey\r\nnot a part",
                "Content-Type", BROKEN_MULTIPART);

        assertProblem(refused, 400, "invalid-input", "fileContent", "multipart");
        Reply created = http.post(files + "/created", null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Reply listing = http.get(files + "/&position=" + created.header("Osprey-Position"));
        assertThat(listing.body()).contains("\"created\"").doesNotContain("refused");
    }

    @Test
    void aPathNothingServesIs404() {
        Reply reply = http.get("/api/v1/main/nothing-here");

        assertProblem(reply, 404, "not-found", "path", "exists");
        // both sides are served here: no hint about the other one
        assertThat(reply.json().get("detail").asText()).isEqualTo("No endpoint answers GET /api/v1/main/nothing-here");
    }

    @Test
    void theErrorPathAskedForDirectlyIsA404LikeAnyPathNothingServes() {
        assertProblem(http.get("/error"), 404, "not-found", "path", "exists");
    }

    @Test
    void aMethodThePathDoesNotTakeIs405AndSaysWhichItTakes() {
        Reply reply = http.delete("/api/v1/main/executions/search");

        assertProblem(reply, 405, "invalid-request", "method", "allowed-methods");
        assertThat(reply.header("Allow")).isEqualTo("GET,HEAD,OPTIONS");
    }

    @Test
    void traceIs405LikeAnyMethodThePathDoesNotTakeAndEchoesNothing() throws Exception {
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/api/v1/main/executions/search")).method("TRACE", HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer secret-token").build(), HttpResponse.BodyHandlers.ofString());

        assertProblem(new Reply(reply.statusCode(), reply.headers().map(), reply.body()), 405, "invalid-request", "method",
                "allowed-methods");
        assertThat(reply.headers().firstValue("Allow")).hasValue("GET,HEAD,OPTIONS");
        assertThat(reply.body()).as("the problem alone, no echo of the request after it")
                .doesNotContain("TRACE ").doesNotContain("user-agent").endsWith("}");
    }

    @Test
    void aContentTypeThePathDoesNotTakeIs415() {
        Reply reply = http.post("/api/v1/main/logs", "a log line", "Content-Type", "text/plain");

        assertProblem(reply, 415, "invalid-request", "Content-Type", "supported-media-types");
    }

    @Test
    void anAnswerTheClientDoesNotAcceptIs406() {
        Reply reply = http.get("/api/v1/main/executions/search", "Accept", "text/csv");

        assertProblem(reply, 406, "invalid-request", "Accept", "producible-media-types");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/main%2Fother/executions/search", "/api/v1/%C3%28/executions/search",
            "/api/v1/main/executions/x%00y"})
    void aPathTomcatCannotDecodeIs400(String path) {
        assertProblem(http.get(path), 400, "invalid-request", "request", "http");
    }

    @Test
    void headersOverTheSizeLimitAre400() {
        Reply reply = http.get("/api/v1/main/executions/search", "X-Padding", "x".repeat(16 * 1024));

        assertProblem(reply, 400, "invalid-request", "request", "http");
    }

    private static void assertProblem(Reply reply, int status, String type, String field, String rule) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).as(reply.body()).startsWith("application/problem+json");
        assertThat(reply.json().get("type").asText()).isEqualTo("urn:osprey:problem:" + type);
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.json().get("field").asText()).as(reply.body()).isEqualTo(field);
        assertThat(reply.json().get("rule").asText()).as(reply.body()).isEqualTo(rule);
    }
}
