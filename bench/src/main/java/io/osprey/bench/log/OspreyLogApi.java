package io.osprey.bench.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.Log;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Osprey's log API as the bench uses it: batches of lines to the command side
 * ({@code POST /api/v1/{tenant}/logs}), searches and an execution's lines from the query side, and the position
 * the query side's {@code logs} processor has indexed ({@code GET /api/v1/projections}).
 */
final class OspreyLogApi {

    private static final Pattern SEARCH_DURATION = Pattern.compile("search;dur=([0-9.]+)");

    static final String PROCESSOR = "logs";
    private static final String POSITION_HEADER = "Osprey-Position";
    private static final JsonFactory JSON = new JsonFactory();

    /** Body format of an ingest request. */
    enum Format {
        NDJSON("application/x-ndjson"), JSON("application/json");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        static Format parse(String value) {
            return switch (value) {
                case "ndjson" -> NDJSON;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("--format must be ndjson or json, got '" + value + "'");
            };
        }
    }

    /** Reply to one ingest request; {@code lines} is what the reply says it accepted, -1 if it said nothing. */
    record IngestReply(int status, String body, long position, int lines, long latencyNanos) {
        boolean ok() {
            return status == 200;
        }
    }

    /** A search: q, namespace prefix and [start, end] may be null; cursor replaces page when given. */
    record Search(String q, String namespace, Instant start, Instant end, int page, int size, String cursor) {
    }

    /**
     * Reply to a search: the results' timestamps (in order), the total (exact or a lower bound), the next cursor,
     * and {@code serverNanos}, the search's own time as the query side reports it (Server-Timing), -1 when absent.
     */
    record SearchReply(int status, String body, long latencyNanos, long serverNanos, List<Instant> timestamps, long total,
                       String nextCursor) {
        boolean ok() {
            return status == 200;
        }
    }

    /** Reply to an execution's lines. */
    record ExecutionReply(int status, String body, long latencyNanos, int lines) {
        boolean ok() {
            return status == 200;
        }
    }

    private final HttpClient http;
    private final String commandBase;
    private final String queryBase;
    private final String tenant;
    private final String ingestUrl;
    private final String logsBase;
    private final URI projections;
    private final URI ping;
    private final Format format;

    OspreyLogApi(HttpClient http, URI commandBase, URI queryBase, String tenant, Format format) {
        this.http = http;
        this.format = format;
        this.commandBase = trim(commandBase);
        this.queryBase = trim(queryBase);
        this.tenant = tenant;
        this.ingestUrl = logsUrl(this.commandBase, tenant);
        this.logsBase = logsUrl(this.queryBase, tenant);
        this.projections = URI.create(trim(queryBase) + "/api/v1/projections");
        this.ping = URI.create(trim(queryBase) + "/actuator/health/ping");
    }

    /** The server-sent-events follow of one execution's lines. */
    URI followUri(String executionId) {
        return URI.create(logsBase + "/" + encode(executionId) + "/follow");
    }

    /** The tenant of the API paths. */
    String tenant() {
        return tenant;
    }

    private static String logsUrl(String base, String tenant) {
        return base + "/api/v1/" + encode(tenant) + "/logs";
    }

    IngestReply ingest(List<LogLine> lines) throws IOException, InterruptedException {
        return ingest(tenant, lines);
    }

    IngestReply ingest(String tenant, List<LogLine> lines) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tenant.equals(this.tenant) ? ingestUrl : logsUrl(commandBase, tenant)))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", format.contentType)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(lines, format)))
                .build();
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        long latency = System.nanoTime() - sent;
        long position = response.headers().firstValue(POSITION_HEADER).map(OspreyLogApi::parseLong).orElse(-1L);
        int accepted = -1;
        if (response.statusCode() == 200) {
            JsonNode reply = JsonLine.MAPPER.readTree(response.body());
            if (position < 0 && reply.path("position").canConvertToLong()) {
                position = reply.get("position").asLong();
            }
            accepted = reply.path("lines").asInt(-1);
        }
        return new IngestReply(response.statusCode(), response.body(), position, accepted, latency);
    }

    SearchReply search(Search s) throws IOException, InterruptedException {
        StringBuilder url = new StringBuilder(logsBase).append("/search?size=").append(s.size())
                .append("&sort=timestamp:desc");
        if (s.cursor() != null) {
            url.append("&cursor=").append(encode(s.cursor()));
        } else {
            url.append("&page=").append(s.page());
        }
        if (s.q() != null) {
            url.append("&q=").append(encode(s.q()));
        }
        if (s.namespace() != null) {
            url.append("&namespace=").append(encode(s.namespace()));
        }
        if (s.start() != null) {
            url.append("&startDate=").append(encode(s.start().toString()));
        }
        if (s.end() != null) {
            url.append("&endDate=").append(encode(s.end().toString()));
        }
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(get(URI.create(url.toString())), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        long latency = System.nanoTime() - sent;
        if (response.statusCode() != 200) {
            return new SearchReply(response.statusCode(), response.body(), latency, -1, List.of(), -1, null);
        }
        JsonNode reply = JsonLine.MAPPER.readTree(response.body());
        List<Instant> timestamps = new ArrayList<>();
        for (JsonNode entry : reply.path("results")) {
            timestamps.add(Instant.parse(entry.path("timestamp").asText()));
        }
        JsonNode cursor = reply.path("nextCursor");
        return new SearchReply(200, response.body(), latency, serverNanos(response), timestamps,
                reply.path("total").asLong(-1), cursor.isTextual() ? cursor.asText() : null);
    }

    /** The {@code search;dur=<ms>} of a Server-Timing header, in nanoseconds; -1 when absent. */
    private static long serverNanos(HttpResponse<?> response) {
        Matcher matcher = SEARCH_DURATION.matcher(response.headers().firstValue("Server-Timing").orElse(""));
        return matcher.find() ? Math.round(Double.parseDouble(matcher.group(1)) * 1e6) : -1;
    }

    /**
     * The query side's actuator ping ({@code {"status":"UP"}}, no storage touched): an HTTP round trip through the same
     * client, Tomcat and Spring MVC as a search, without the search. Returns its latency in nanoseconds.
     */
    long ping() throws IOException, InterruptedException {
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(get(ping), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        long latency = System.nanoTime() - sent;
        if (response.statusCode() != 200) {
            throw new IOException("GET " + ping + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return latency;
    }

    ExecutionReply executionLines(String executionId) throws IOException, InterruptedException {
        return executionLines(tenant, executionId);
    }

    ExecutionReply executionLines(String tenant, String executionId) throws IOException, InterruptedException {
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(get(URI.create(logsUrl(queryBase, tenant) + "/" + encode(executionId))),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        long latency = System.nanoTime() - sent;
        int lines = response.statusCode() == 200 ? JsonLine.MAPPER.readTree(response.body()).size() : -1;
        return new ExecutionReply(response.statusCode(), response.body(), latency, lines);
    }

    /** Position of the {@code logs} processor, or -1 while it has none; fails if there is no such processor. */
    long indexedPosition() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(get(projections), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException("GET " + projections + ": HTTP " + response.statusCode() + " " + response.body());
        }
        List<String> names = new ArrayList<>();
        for (JsonNode processor : JsonLine.MAPPER.readTree(response.body()).path("processors")) {
            String name = processor.path("name").asText();
            if (name.equals(PROCESSOR)) {
                return processor.path("position").asLong(-1);
            }
            names.add(name);
        }
        throw new IllegalStateException("the query side has no \"" + PROCESSOR + "\" processor in " + projections
                + " (processors: " + names + ")");
    }

    /**
     * Waits until the {@code logs} processor has indexed {@code position}; returns System.nanoTime() of the poll
     * that saw it. Polls every 20 ms; fails when the position does not move for {@code stall}.
     */
    long awaitIndexed(long position, Duration stall) throws IOException, InterruptedException {
        long seen = Long.MIN_VALUE;
        long movedAt = System.nanoTime();
        long lastReport = movedAt;
        while (true) {
            long indexed = indexedPosition();
            long now = System.nanoTime();
            if (indexed >= position) {
                return now;
            }
            if (indexed != seen) {
                seen = indexed;
                movedAt = now;
            } else if (now - movedAt > stall.toNanos()) {
                throw new IllegalStateException("the \"" + PROCESSOR + "\" processor stayed at position " + indexed
                        + " for " + stall.toSeconds() + " s, short of " + position);
            }
            if (now - lastReport > 5_000_000_000L) {
                Log.info("waiting for the log index: position %d of %d", indexed, position);
                lastReport = now;
            }
            Thread.sleep(20);
        }
    }

    /** The lines as the request body: one JSON object per line (NDJSON) or a JSON array. */
    static byte[] body(List<LogLine> lines, Format format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 320);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            if (format == Format.JSON) {
                g.writeStartArray();
            } else {
                g.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
            }
            for (LogLine line : lines) {
                g.writeStartObject();
                g.writeStringField("namespace", line.namespace());
                g.writeStringField("flowId", line.flowId());
                g.writeStringField("executionId", line.executionId());
                if (line.taskId() != null) {
                    g.writeStringField("taskId", line.taskId());
                    g.writeStringField("taskRunId", line.taskRunId());
                }
                g.writeNumberField("attemptNumber", line.attemptNumber());
                if (line.triggerId() != null) {
                    g.writeStringField("triggerId", line.triggerId());
                }
                g.writeStringField("level", line.level());
                g.writeStringField("timestamp", line.isoTimestamp());
                g.writeStringField("thread", line.thread());
                g.writeStringField("message", line.message());
                g.writeEndObject();
            }
            if (format == Format.JSON) {
                g.writeEndArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (format == Format.NDJSON) {
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).header("Accept", "application/json")
                .GET().build();
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String trim(URI base) {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
