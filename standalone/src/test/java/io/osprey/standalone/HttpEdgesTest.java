package io.osprey.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osprey.testsupport.HttpJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests whose HTTP a controller cannot serve as asked are refused before it runs, with a problem and nothing written:
 * an Accept its JSON cannot meet (it was a 406 after the write), a wildcard Content-Type (a 500), a chunked HTTP/1.0
 * body, a Transfer-Encoding Tomcat does not implement (a 501 typed as our own failure).
 */
class HttpEdgesTest {

    private static final String CREATE = "{\"namespace\":\"company.http\",\"flowId\":\"%s\",\"flowRevision\":1}";
    @TempDir
    static Path dataDir;
    private static ConfigurableApplicationContext app;
    private static int port;
    private static HttpJson http;

    @BeforeAll
    static void start() {
        app = StandaloneApplication.builder().run("--server.port=0", "--osprey.data-dir=" + dataDir,
                "--osprey.http.allowed-hosts=osprey.test, Other.Test");
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
        http = new HttpJson("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** The whole reply to one request sent as it is, on a connection of its own. */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode problemOf(String reply) throws IOException {
        assertThat(reply).containsIgnoringCase("Content-Type: application/problem+json");
        return new ObjectMapper().readTree(reply.substring(reply.indexOf("\r\n\r\n") + 4).replaceAll("(?s)^[0-9a-f]+\r\n", ""));
    }

    private static String post(String path, String headers, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** How many executions of this flow the read model holds once it has read everything written so far. */
    private static int executionsOf(String flowId) {
        HttpJson.Reply later = http.post("/api/v1/main/executions", CREATE.formatted("later"));
        String position = later.header("Osprey-Position");
        return http.get("/api/v1/main/executions/search?flowId=" + flowId + "&position=" + position).json().get("total").asInt();
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/png", "application/problem+json", "garbage"})
    void aCommandWhoseAcceptItsReplyCannotMeetIsA406ProblemAndWritesNothing(String accept) throws IOException {
        String flowId = "accept-" + Math.abs(accept.hashCode());
        String reply = raw(post("/api/v1/main/executions", "Content-Type: application/json\r\nAccept: " + accept + "\r\n",
                CREATE.formatted(flowId)));

        assertThat(reply).startsWith("HTTP/1.1 406");
        assertThat(problemOf(reply).get("field").asText()).isEqualTo("Accept");
        assertThat(executionsOf(flowId)).isZero();
    }

    @Test
    void aQueryAskedOnlyForAProblemIs406NotAnAnswerTypedAsOne() {
        HttpJson.Reply reply = http.get("/api/v1/main/executions/search", "Accept", "application/problem+json");

        assertThat(reply.status()).isEqualTo(406);
        assertThat(http.get("/api/v1/main/executions/search", "Accept", "application/json").status()).isEqualTo(200);
        assertThat(http.get("/api/v1/projections", "Accept", "application/problem+json").status()).isEqualTo(406);
    }

    @Test
    void aFileDownloadServesTheFilesOwnTypeWhateverTheAccept() throws IOException {
        String upload = "--BB\r\nContent-Disposition: form-data; name=\"fileContent\"; filename=\"a.txt\"\r\n\r\nhello\r\n--BB--\r\n";
        String written = raw(post("/api/v1/main/namespaces/company.http/files?path=/a.txt",
                "Content-Type: multipart/form-data; boundary=BB\r\n", upload));
        assertThat(written).startsWith("HTTP/1.1 201");
        String position = written.lines().filter(line -> line.startsWith("Osprey-Position: ")).findFirst().orElseThrow()
                .substring("Osprey-Position: ".length());

        for (String accept : new String[]{"image/png", "text", "*/*;q=abc"}) {
            // at the upload's position: the read model may not have the file yet otherwise
            String reply = raw("GET /api/v1/main/namespaces/company.http/files?path=/a.txt&position=" + position
                    + " HTTP/1.1\r\nHost: localhost\r\nAccept: " + accept + "\r\nConnection: close\r\n\r\n");

            assertThat(reply).as(accept).startsWith("HTTP/1.1 200").endsWith("hello");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/*", "*/*", "multipart/*; boundary=BB"})
    void aBodyTypedWithAWildcardIsA415Problem(String contentType) throws IOException {
        String flowId = "wildcard-" + Math.abs(contentType.hashCode());
        String reply = raw(post("/api/v1/main/executions", "Content-Type: " + contentType + "\r\n", CREATE.formatted(flowId)));

        assertThat(reply).startsWith("HTTP/1.1 415");
        assertThat(problemOf(reply).get("field").asText()).isEqualTo("Content-Type");
        assertThat(problemOf(reply).get("detail").asText()).doesNotContain("Could not parse");
        assertThat(executionsOf(flowId)).isZero();
    }

    @Test
    void aFormCutShortAfterItsClosingBoundaryIsRefusedAndWritesNothing() throws IOException {
        String form = "--BB\r\nContent-Disposition: form-data; name=\"namespace\"\r\n\r\ncompany.http\r\n"
                + "--BB\r\nContent-Disposition: form-data; name=\"flowId\"\r\n\r\ncut-form\r\n"
                + "--BB\r\nContent-Disposition: form-data; name=\"flowRevision\"\r\n\r\n1\r\n--BB--\r\n";
        // the client declares 50 bytes more than it sends, then closes its side
        String reply = raw("POST /api/v1/main/executions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: multipart/form-data; boundary=BB\r\nContent-Length: " + (form.length() + 50) + "\r\n\r\n" + form);

        assertThat(reply).startsWith("HTTP/1.1 400");
        assertThat(executionsOf("cut-form")).isZero();
        String whole = raw(post("/api/v1/main/executions", "Content-Type: multipart/form-data; boundary=BB\r\n",
                form.replace("cut-form", "whole-form")));
        assertThat(whole).startsWith("HTTP/1.1 201");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "identity, gzip"})
    void aBodyInAContentCodingIsA415ProblemAndWritesNothing(String encoding) throws IOException {
        String flowId = "coded-" + Math.abs(encoding.hashCode());
        String reply = raw(post("/api/v1/main/executions", "Content-Type: application/json\r\nContent-Encoding: " + encoding
                + "\r\n", CREATE.formatted(flowId)));

        assertThat(reply).startsWith("HTTP/1.1 415");
        assertThat(problemOf(reply).get("field").asText()).isEqualTo("Content-Encoding");
        assertThat(executionsOf(flowId)).isZero();
    }

    @Test
    void aContentCodingOnASecondHeaderLineIsRefusedToo() throws IOException {
        String reply = raw(post("/api/v1/main/executions", "Content-Type: application/json\r\nContent-Encoding: identity\r\n"
                + "Content-Encoding: br\r\n", CREATE.formatted("coded-twice")));

        assertThat(reply).startsWith("HTTP/1.1 415");
        assertThat(executionsOf("coded-twice")).isZero();
        assertThat(raw(post("/api/v1/main/executions", "Content-Type: application/json\r\nContent-Encoding: identity\r\n",
                CREATE.formatted("identity")))).startsWith("HTTP/1.1 201");
    }

    @Test
    void aChunkedHttp10BodyIsRefusedAndWritesNothing() throws IOException {
        String body = CREATE.formatted("http10-chunked");
        String reply = raw("POST /api/v1/main/executions HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");

        assertThat(reply).startsWith("HTTP/1.1 400");
        assertThat(problemOf(reply).get("field").asText()).isEqualTo("Transfer-Encoding");
        assertThat(executionsOf("http10-chunked")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/main/executions", "/api/v1/main/logs/search", "/actuator/health", "/nowhere"})
    void aCrossOriginPreflightIsRefusedAsAProblem(String path) throws IOException {
        String reply = raw("OPTIONS " + path + " HTTP/1.1\r\nHost: localhost\r\nOrigin: http://other.example\r\n"
                + "Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");

        assertThat(reply).startsWith("HTTP/1.1 403");
        assertThat(problemOf(reply).get("field").asText()).isEqualTo("Origin");
        assertThat(problemOf(reply).get("instance").asText()).isEqualTo(path);
    }

    @Test
    void aWriteFromAPageOfAnotherOriginIsRefusedAndWritesNothing() throws IOException {
        String form = "--BB\r\nContent-Disposition: form-data; name=\"namespace\"\r\n\r\ncompany.http\r\n"
                + "--BB\r\nContent-Disposition: form-data; name=\"flowId\"\r\n\r\ncross-site\r\n"
                + "--BB\r\nContent-Disposition: form-data; name=\"flowRevision\"\r\n\r\n1\r\n--BB--\r\n";
        for (String origin : new String[]{"http://evil.example", "null", "http://localhost:1"}) {
            String reply = raw(post("/api/v1/main/executions", "Origin: " + origin
                    + "\r\nContent-Type: multipart/form-data; boundary=BB\r\n", form));

            assertThat(reply).as(origin).startsWith("HTTP/1.1 403");
            assertThat(problemOf(reply).get("field").asText()).isEqualTo("Origin");
        }
        assertThat(executionsOf("cross-site")).isZero();
        String sameOrigin = "POST /api/v1/main/executions HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n"
                + "Origin: http://localhost:" + port + "\r\nContent-Type: multipart/form-data; boundary=BB\r\n"
                + "Content-Length: " + form.length() + "\r\n\r\n" + form;
        assertThat(raw(sameOrigin)).startsWith("HTTP/1.1 201");
        assertThat(raw("GET /api/v1/main/executions/search HTTP/1.1\r\nHost: localhost\r\nOrigin: http://evil.example\r\n"
                + "Connection: close\r\n\r\n")).as("reads pass").startsWith("HTTP/1.1 200");
    }

    @Test
    void aBrowserReachingTheNodeByANameOfAnotherSiteIsRefusedAsDnsRebindingWouldUseIt() throws IOException {
        String form = "--BB\r\nContent-Disposition: form-data; name=\"namespace\"\r\n\r\ncompany.http\r\n"
                + "--BB\r\nContent-Disposition: form-data; name=\"flowId\"\r\n\r\nrebound\r\n"
                + "--BB\r\nContent-Disposition: form-data; name=\"flowRevision\"\r\n\r\n1\r\n--BB--\r\n";
        // evil.example resolved to this node: for the browser, its page and this node are one origin
        String rebound = "POST /api/v1/main/executions HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n"
                + "Origin: http://evil.example:" + port + "\r\nContent-Type: multipart/form-data; boundary=BB\r\n"
                + "Content-Length: " + form.length() + "\r\n\r\n" + form;
        String refused = raw(rebound);
        assertThat(refused).startsWith("HTTP/1.1 403");
        assertThat(problemOf(refused).get("field").asText()).isEqualTo("Host");
        assertThat(problemOf(refused).get("rule").asText()).isEqualTo("allowed-host");
        assertThat(executionsOf("rebound")).isZero();
        // a same-origin read carries no Origin, but a browser's Sec-Fetch headers
        assertThat(raw("GET /api/v1/main/executions/search HTTP/1.1\r\nHost: evil.example:" + port + "\r\n"
                + "Sec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: cors\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 403");

        // not a browser: any name
        assertThat(raw("GET /api/v1/main/executions/search HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
        // a browser by an address, localhost or a configured name
        for (String host : new String[]{"127.0.0.1", "[::1]", "localhost", "osprey.test", "other.test", "OSPREY.TEST."}) {
            String read = "GET /api/v1/main/executions/search HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                    + "Sec-Fetch-Site: same-origin\r\nConnection: close\r\n\r\n";
            assertThat(raw(read)).as(host).startsWith("HTTP/1.1 200");
        }
        String allowed = rebound.replace("evil.example", "osprey.test");
        assertThat(raw(allowed)).startsWith("HTTP/1.1 201");
    }

    @Test
    void aTransferEncodingTomcatDoesNotImplementIsTheClientsProblemNotAnInternalOne() throws IOException {
        String reply = raw("POST /api/v1/main/executions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: bogus\r\nConnection: close\r\n\r\n{}");

        assertThat(reply).startsWith("HTTP/1.1 501");
        JsonNode problem = problemOf(reply);
        assertThat(problem.get("type").asText()).isNotEqualTo("urn:osprey:problem:internal");
        assertThat(problem.get("field").asText()).isEqualTo("request");
    }
}
