package io.osprey.bench.blob;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.bench.support.JsonLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls a child's {@code /actuator/metrics/jvm.memory.used?tag=area:heap} every 100 ms on its own thread and
 * keeps the highest value seen (heap in use, garbage included, so an upper bound of what a transfer holds).
 */
final class HeapProbe implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpRequest request;
    private final AtomicLong peak = new AtomicLong(-1);
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    HeapProbe(URI base) {
        request = HttpRequest.newBuilder(base.resolve("/actuator/metrics/jvm.memory.used?tag=area:heap"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        thread = new Thread(this::poll, "heap-probe-" + base.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** The heap's maximum ({@code jvm.memory.max}, area heap) of a child, in bytes; -1 when unknown. */
    static long heapMax(HttpClient http, URI base) {
        try {
            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(
                    base.resolve("/actuator/metrics/jvm.memory.max?tag=area:heap")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return reply.statusCode() == 200 ? value(reply.body()) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private void poll() {
        while (running) {
            try {
                HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (reply.statusCode() == 200) {
                    peak.accumulateAndGet(value(reply.body()), Math::max);
                    samples.incrementAndGet();
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception ignored) {
                // a missed sample
            }
        }
    }

    private static long value(String body) throws java.io.IOException {
        JsonNode measurements = JsonLine.MAPPER.readTree(body).get("measurements");
        return (long) measurements.get(0).get("value").asDouble();
    }

    long peakBytes() {
        return peak.get();
    }

    long samples() {
        return samples.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
