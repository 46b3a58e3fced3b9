package io.osprey.bench.blob;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.LatencySummary;
import io.osprey.bench.support.Log;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One measured phase: {@code count} transfers taken from a shared counter by {@code clients} threads; wall time,
 * bytes moved and the latency of every transfer (request sent → last byte read).
 */
record Phase(String name, int transfers, long bytes, double seconds, Histogram latencyMicros, long errors,
             List<String> errorSamples) {

    /** One transfer: moves blob {@code index} and returns how many payload bytes it moved. */
    interface Transfer {
        long run(int index) throws Exception;
    }

    static Phase run(String name, int count, int clients, Transfer transfer) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<String> samples = Collections.synchronizedList(new ArrayList<>());
        Histogram latency = LatencySummary.newHistogram();
        int threads = Math.min(clients, count);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                Histogram mine = LatencySummary.newHistogram();
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    long begin = System.nanoTime();
                    try {
                        bytes.addAndGet(transfer.run(i));
                        LatencySummary.recordNanos(mine, System.nanoTime() - begin);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        if (samples.size() < 5) {
                            samples.add(name + " #" + i + ": " + e);
                        }
                    }
                }
                synchronized (latency) {
                    latency.add(mine);
                }
                return null;
            }));
        }
        pool.shutdown();
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                errors.incrementAndGet();
                samples.add(name + ": " + e.getCause());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Phase phase = new Phase(name, count, bytes.get(), seconds, latency, errors.get(), List.copyOf(samples));
        Log.info("%s: %d transfers, %.1f MB in %.2f s = %.1f MB/s, p50 %.1f ms, p99 %.1f ms, %d errors%s", name, count,
                phase.megabytes(), seconds, phase.megabytesPerSecond(), LatencySummary.of(latency).p50(),
                LatencySummary.of(latency).p99(), errors.get(), samples.isEmpty() ? "" : " (first: " + samples.get(0) + ")");
        return phase;
    }

    double megabytes() {
        return bytes / (1024.0 * 1024.0);
    }

    /** MiB per second of wall time. */
    double megabytesPerSecond() {
        return seconds == 0 ? Double.NaN : megabytes() / seconds;
    }

    ObjectNode json() {
        ObjectNode node = JsonLine.object();
        node.put("transfers", transfers);
        node.put("bytes", bytes);
        JsonLine.put(node, "seconds", seconds);
        JsonLine.put(node, "mb_per_s", megabytesPerSecond());
        node.set("latency_ms", JsonLine.latency(LatencySummary.of(latencyMicros)));
        node.put("errors", errors);
        return node;
    }
}
