package io.osprey.testsupport;

import io.osprey.testsupport.HttpJson.Reply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** File requests over real HTTP, beside {@link HttpJson}: multipart uploads, DELETE, and downloads as bytes. */
public final class HttpFiles {

    private final HttpClient client;
    private final String baseUrl;

    /** A client that shows redirects rather than following them. */
    public HttpFiles(String baseUrl) {
        this(baseUrl, HttpClient.Redirect.NEVER);
    }

    public HttpFiles(String baseUrl, HttpClient.Redirect redirects) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(redirects).build();
    }

    public record Download(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** A query-string value, percent-encoded. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** POSTs a multipart/form-data body with one file part per entry of {@code parts} (part name to bytes). */
    public Reply upload(String path, Map<String, byte[]> parts) {
        String boundary = "osprey-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        parts.forEach((name, content) -> {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name
                    + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post(path, body.toByteArray(), "multipart/form-data; boundary=" + boundary);
    }

    /** POSTs a multipart/form-data body of text fields and one file part. */
    public Reply form(String path, Map<String, String> fields, String fileField, String fileName, byte[] content) {
        return form("POST", path, fields, fileField, fileName, content);
    }

    /** PUTs a multipart/form-data body of text fields and one file part. */
    public Reply putForm(String path, Map<String, String> fields, String fileField, String fileName, byte[] content) {
        return form("PUT", path, fields, fileField, fileName, content);
    }

    private Reply form(String method, String path, Map<String, String> fields, String fileField, String fileName,
                       byte[] content) {
        String boundary = "osprey-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return text(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** Uploads one file as the part {@code fileContent}, as Kestra's clients do. */
    public Reply upload(String path, byte[] content) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("fileContent", content);
        return upload(path, parts);
    }

    public Reply post(String path, byte[] body, String contentType) {
        return text(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Reply put(String path) {
        return text(request(path).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    public Reply delete(String path) {
        return text(request(path).DELETE());
    }

    /** GETs the body as bytes; {@code headers} are name, value pairs (e.g. a Range). */
    public Download download(String path, String... headers) {
        return exchange(request(path).GET(), headers);
    }

    /** HEADs: the headers a download would have. */
    public Download head(String path) {
        return exchange(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    private Download exchange(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Download(response.statusCode(), response.headers().map(), response.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    }

    private Reply text(HttpRequest.Builder request) {
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().map(), response.body());
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return client.send(request.build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
