package io.osprey.bench.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.LatencySummary;
import io.osprey.bench.support.Log;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load phase over lines [0, lines): {@code clients} threads take consecutive batches of {@code batchSize}
 * lines from a shared counter, each through its own {@link Worker}. Wall time covers everything (generating the
 * lines included) from {@code startNanos} (System.nanoTime()); the latency histogram holds what each worker reports
 * for a batch (its request or transaction).
 */
record BatchPhase(String name, long lines, long batches, long startNanos, double seconds, Histogram latencyMicros,
                  long errors, List<String> errorSamples) {

    private static final int MAX_ERRORS = 25;

    /** A client thread's connection to what is loaded. */
    interface Worker extends AutoCloseable {
        /** Loads lines [from, to); returns the nanoseconds of the measured operation (request, transaction). */
        long load(int from, int to) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    interface WorkerFactory {
        Worker open(int thread) throws Exception;
    }

    static BatchPhase run(String name, int lines, int batchSize, int clients, WorkerFactory factory)
            throws InterruptedException {
        int batchCount = (lines + batchSize - 1) / batchSize;
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        AtomicLong batchesDone = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        Log.info("%s: %d lines in batches of %d, %d clients", name, lines, batchSize, clients);
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            int thread = t;
            Histogram histogram = LatencySummary.newHistogram();
            histograms.add(histogram);
            Thread worker = new Thread(() -> {
                try (Worker w = factory.open(thread)) {
                    int b;
                    while (errors.get() < MAX_ERRORS && (b = next.getAndIncrement()) < batchCount) {
                        int from = b * batchSize;
                        int to = Math.min(lines, from + batchSize);
                        try {
                            LatencySummary.recordNanos(histogram, w.load(from, to));
                            done.addAndGet(to - from);
                            batchesDone.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (Exception e) {
                            fail(name + " lines [" + from + ", " + to + "): " + e.getMessage(), errors, samples);
                        }
                    }
                } catch (Exception e) {
                    fail(name + " client " + thread + ": " + e, errors, samples);
                }
            }, "bench-" + name.replace(' ', '-') + "-" + t);
            worker.setDaemon(true);
            threads.add(worker);
            worker.start();
        }
        long lastReport = start;
        long lastDone = 0;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                thread.join(1000);
                long now = System.nanoTime();
                if (now - lastReport >= 5_000_000_000L) {
                    long d = done.get();
                    Log.info("%s: %d lines, %.0f lines/s over the last %.1f s, %d errors", name, d,
                            (d - lastDone) / ((now - lastReport) / 1e9), (now - lastReport) / 1e9, errors.get());
                    lastReport = now;
                    lastDone = d;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram merged = LatencySummary.newHistogram();
        histograms.forEach(merged::add);
        BatchPhase phase = new BatchPhase(name, done.get(), batchesDone.get(), start, seconds, merged, errors.get(),
                List.copyOf(samples));
        Log.info("%s: %d lines in %.2f s = %.0f lines/s, batch p50 %.2f ms, p99 %.2f ms, %d errors", name,
                phase.lines(), seconds, phase.linesPerSecond(), merged.getValueAtPercentile(50) / 1000.0,
                merged.getValueAtPercentile(99) / 1000.0, errors.get());
        return phase;
    }

    private static void fail(String message, AtomicLong errors, ConcurrentLinkedQueue<String> samples) {
        long n = errors.incrementAndGet();
        if (samples.size() < 5) {
            samples.add(message);
        }
        if (n <= 5) {
            Log.info("ERROR %s", message);
        }
    }

    double linesPerSecond() {
        return seconds > 0 ? lines / seconds : 0;
    }

    /** {"lines":..,"batches":..,"seconds":..,"lines_per_s":..,"latency_ms":{..}} (latency per batch). */
    ObjectNode json() {
        ObjectNode node = JsonLine.object();
        node.put("lines", lines);
        node.put("batches", batches);
        JsonLine.put(node, "seconds", seconds);
        JsonLine.put(node, "lines_per_s", linesPerSecond());
        node.set("batch_latency_ms", JsonLine.latency(LatencySummary.of(latencyMicros)));
        return node;
    }

    /** Fails with the first error samples if any batch failed. */
    void requireNoErrors() {
        if (errors > 0) {
            throw new IllegalStateException(name + ": " + errors + " failed batches; first: " + errorSamples);
        }
    }
}
