package io.osprey.bench.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.LatencySummary;
import io.osprey.bench.support.Log;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lines into Osprey through its HTTP API: {@code clients} threads POST batches to the command side (every reply
 * must be 200 and accept the whole batch), then the query side's {@code logs} processor is polled until it has
 * indexed the highest position any reply acknowledged: from then on every line is searchable.
 */
final class OspreyIngest {

    /** The ingest phase and the instant (System.nanoTime()) the index covered its last acknowledged position. */
    record Result(BatchPhase phase, long lastPosition, long indexedNanos) {
        /** From the first request until the index covered the last acknowledged position. */
        double searchableSeconds() {
            return (indexedNanos - phase.startNanos()) / 1e9;
        }

        double searchableLinesPerSecond() {
            return phase.lines() / searchableSeconds();
        }

        ObjectNode json() {
            ObjectNode node = JsonLine.object();
            node.put("lines", phase.lines());
            node.put("requests", phase.batches());
            JsonLine.put(node, "seconds", phase.seconds());
            JsonLine.put(node, "lines_per_s", phase.linesPerSecond());
            node.set("request_latency_ms", JsonLine.latency(LatencySummary.of(phase.latencyMicros())));
            node.put("last_position", lastPosition);
            ObjectNode searchable = node.putObject("searchable");
            JsonLine.put(searchable, "seconds", searchableSeconds());
            JsonLine.put(searchable, "lines_per_s", searchableLinesPerSecond());
            JsonLine.put(searchable, "after_last_reply_ms",
                    (indexedNanos - phase.startNanos()) / 1e6 - phase.seconds() * 1000);
            return node;
        }
    }

    private OspreyIngest() {
    }

    /** The lines acknowledged: the load phase and the highest position a reply carried. */
    record Acknowledged(BatchPhase phase, long lastPosition) {
    }

    /** Loads the lines, then waits until the query side has indexed all of them. */
    static Result run(String name, LogGenerator lines, OspreyLogApi api, int batch, int clients, int tenants,
                      Duration stall) throws IOException, InterruptedException {
        Acknowledged acknowledged = acknowledge(name, lines, api, batch, clients, tenants);
        long indexed = api.awaitIndexed(acknowledged.lastPosition(), stall);
        Result result = new Result(acknowledged.phase(), acknowledged.lastPosition(), indexed);
        Log.info("%s: searchable after %.2f s = %.0f lines/s (%.0f ms after the last reply)", name,
                result.searchableSeconds(), result.searchableLinesPerSecond(),
                result.searchableSeconds() * 1000 - acknowledged.phase().seconds() * 1000);
        return result;
    }

    /**
     * Loads the lines; every reply must be 200, accept its whole batch and carry a position. With several tenants,
     * the batches go to them in turn ({@link #tenant}).
     */
    static Acknowledged acknowledge(String name, LogGenerator lines, OspreyLogApi api, int batch, int clients,
                                    int tenants) throws IOException, InterruptedException {
        AtomicLong lastPosition = new AtomicLong(-1);
        BatchPhase phase = BatchPhase.run(name, lines.lines(), batch, clients, thread -> (from, to) -> {
            List<LogLine> slice = lines.range(from, to);
            OspreyLogApi.IngestReply reply = api.ingest(tenant(api, tenants, from / batch), slice);
            if (!reply.ok()) {
                throw new IOException("HTTP " + reply.status() + " " + abbreviate(reply.body()));
            }
            if (reply.lines() != slice.size()) {
                throw new IOException("the reply accepted " + reply.lines() + " lines of " + slice.size() + ": "
                        + abbreviate(reply.body()));
            }
            if (reply.position() < 0) {
                throw new IOException("the reply carries no position (header Osprey-Position or \"position\"): "
                        + abbreviate(reply.body()));
            }
            lastPosition.accumulateAndGet(reply.position(), Math::max);
            return reply.latencyNanos();
        });
        phase.requireNoErrors();
        return new Acknowledged(phase, lastPosition.get());
    }

    /** The tenant of the batch with this number: the API's own, or with several, {@code <tenant>-<n>} in turn. */
    static String tenant(OspreyLogApi api, int tenants, int batchNumber) {
        return tenants == 1 ? api.tenant() : api.tenant() + "-" + batchNumber % tenants;
    }

    static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }
}
