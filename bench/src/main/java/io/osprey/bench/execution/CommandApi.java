package io.osprey.bench.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.bench.support.JsonLine;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** The few command-side calls the executions scenario sends (see the API contract). */
final class CommandApi {

    /** Outcome of one command: timings in System.nanoTime() units and what the reply said. */
    record Reply(int status, String body, String id, String taskRunId, long position, long sentNanos,
                 long receivedNanos) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        long latencyNanos() {
            return receivedNanos - sentNanos;
        }
    }

    static final String POSITION_HEADER = "Osprey-Position";
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");

    private final HttpClient http;
    private final String executionsBase;

    CommandApi(HttpClient http, URI commandBase, String tenant) {
        this.http = http;
        String base = commandBase.toString();
        this.executionsBase = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/api/v1/" + segment(tenant) + "/executions";
    }

    Reply createExecution(String namespace, String flowId, int index) throws IOException, InterruptedException {
        String body = "{\"namespace\":\"" + namespace + "\",\"flowId\":\"" + flowId + "\",\"flowRevision\":1,"
                + "\"labels\":[{\"key\":\"bench\",\"value\":\"executions\"}],\"inputs\":{\"index\":" + index + "}}";
        return post(executionsBase, body);
    }

    Reply executionState(String executionId, String state) throws IOException, InterruptedException {
        return post(executionsBase + "/" + segment(executionId) + "/state", "{\"state\":\"" + state + "\"}");
    }

    Reply createTaskRun(String executionId, String taskId) throws IOException, InterruptedException {
        return post(executionsBase + "/" + segment(executionId) + "/taskruns", "{\"taskId\":\"" + taskId + "\"}");
    }

    Reply taskRunState(String executionId, String taskRunId, String state) throws IOException, InterruptedException {
        return post(executionsBase + "/" + segment(executionId) + "/taskruns/" + segment(taskRunId) + "/state",
                "{\"state\":\"" + state + "\"}");
    }

    private Reply post(String url, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        long received = System.nanoTime();
        int status = response.statusCode();
        String body = response.body();
        String id = null;
        String taskRunId = null;
        long position = headerPosition(response.headers().firstValue(POSITION_HEADER));
        if (status >= 200 && status < 300 && body != null && !body.isEmpty()) {
            try {
                JsonNode node = JsonLine.MAPPER.readTree(body);
                id = text(node, "id");
                taskRunId = text(node, "taskRunId");
                if (position < 0 && node.hasNonNull("position") && node.get("position").canConvertToLong()) {
                    position = node.get("position").asLong();
                }
            } catch (IOException e) {
                // leave id/position empty; the caller reports a missing id as an error
            }
        }
        return new Reply(status, body, id, taskRunId, position, sent, received);
    }

    private static long headerPosition(Optional<String> header) {
        if (header.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(header.get().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static String segment(String value) {
        if (SAFE_SEGMENT.matcher(value).matches()) {
            return value;
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
