package io.osprey.command.log;

import io.osprey.testsupport.HttpJson.Reply;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Log requests over real HTTP: a body of any content type, with headers, sized or streamed (chunked); DELETE. */
final class LogHttp {

    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    LogHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** POSTs a body with its Content-Length; {@code headers} are name, value pairs. */
    Reply post(String path, String contentType, String body, String... headers) {
        return send(request(path, headers).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    /** POSTs a body without a Content-Length (chunked transfer encoding). */
    Reply postChunked(String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

    Reply delete(String path) {
        return send(request(path).DELETE());
    }

    Reply delete(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType)
                .method("DELETE", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
