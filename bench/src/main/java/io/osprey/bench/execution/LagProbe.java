package io.osprey.bench.execution;

import io.osprey.bench.support.LatencySummary;
import io.osprey.bench.support.Log;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures visibility lag: for a sampled command reply carrying position P at time T, asks the query side
 * {@code GET /api/v1/{tenant}/executions/{id}?position=P} until it answers with
 * {@code Osprey-Position-Reached: true}; lag = time of that answer - T.
 *
 * <p>Client threads only enqueue a sample; a dispatcher thread sends the probes asynchronously on an HTTP
 * client with its own two-thread executor, so probing never blocks the load threads. At most
 * {@code maxInFlight} probes are outstanding; a sample that waits for a slot keeps its original T, so any
 * probe backlog shows up as lag rather than hiding it.
 */
final class LagProbe implements AutoCloseable {

    static final String REACHED_HEADER = "Osprey-Position-Reached";
    static final String POSITION_HEADER = "Osprey-Position";

    /** Lag figures of one phase. */
    record LagStats(LatencySummary summary, long samples, long timeouts, long errors, String lastError) {
    }

    private record Sample(String executionId, long position, long replyNanos, long deadlineNanos) {
    }

    private final HttpClient http;
    private final ExecutorService executor;
    private final String executionsBase;
    private final long timeoutNanos;
    private final LinkedBlockingQueue<Sample> queue = new LinkedBlockingQueue<>();
    private final Semaphore slots;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicInteger loggedErrors = new AtomicInteger();
    private volatile String lastError;
    private final Thread dispatcher;
    private Histogram histogram = LatencySummary.newHistogram();
    private volatile boolean closed;

    LagProbe(URI queryBase, String tenant, int threads, int maxInFlight, Duration timeout) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-lag-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
        String base = queryBase.toString();
        this.executionsBase = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/api/v1/" + CommandApi.segment(tenant) + "/executions/";
        this.timeoutNanos = timeout.toNanos();
        this.slots = new Semaphore(maxInFlight);
        this.dispatcher = new Thread(this::dispatch, "bench-lag-dispatcher");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    /** Non-blocking; called by load threads right after a command reply. */
    void submit(String executionId, long position, long replyNanos) {
        pending.incrementAndGet();
        queue.add(new Sample(executionId, position, replyNanos, replyNanos + timeoutNanos));
    }

    private void dispatch() {
        while (!closed) {
            try {
                Sample sample = queue.take();
                slots.acquire();
                send(sample);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void send(Sample sample) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        executionsBase + CommandApi.segment(sample.executionId()) + "?position=" + sample.position()))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .GET()
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, failure) -> handle(sample, response, failure));
    }

    private void handle(Sample sample, HttpResponse<Void> response, Throwable failure) {
        long now = System.nanoTime();
        if (closed) {
            done();
            return;
        }
        String problem;
        boolean retryNow = false;
        if (failure != null) {
            problem = "probe failed: " + failure;
        } else if (response.statusCode() >= 200 && response.statusCode() < 300) {
            Boolean reached = reached(response, sample.position());
            if (reached == null) {
                error("query reply for execution " + sample.executionId() + " has neither " + REACHED_HEADER
                        + " nor " + POSITION_HEADER + " header");
                done();
                return;
            }
            if (reached) {
                record(now - sample.replyNanos());
                done();
                return;
            }
            problem = "position " + sample.position() + " not reached";
            retryNow = true; // the server already waited for its consistency timeout
        } else {
            problem = "HTTP " + response.statusCode();
        }
        if (now < sample.deadlineNanos()) {
            // a short pause keeps a server that answers "not reached" without waiting from being hammered
            long pauseMillis = retryNow ? 2 : 10;
            CompletableFuture.delayedExecutor(pauseMillis, TimeUnit.MILLISECONDS, executor).execute(() -> send(sample));
            return;
        }
        timeouts.incrementAndGet();
        lastError = "execution " + sample.executionId() + " position " + sample.position() + " not visible within "
                + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s (" + problem + ")";
        if (loggedErrors.incrementAndGet() <= 5) {
            Log.info("LAG TIMEOUT %s", lastError);
        }
        record(now - sample.replyNanos());
        done();
    }

    /** TRUE/FALSE from Osprey-Position-Reached, else from Osprey-Position >= P; null if neither is present. */
    static Boolean reached(HttpResponse<?> response, long position) {
        Optional<String> reached = response.headers().firstValue(REACHED_HEADER);
        if (reached.isPresent()) {
            return Boolean.parseBoolean(reached.get().trim());
        }
        Optional<String> at = response.headers().firstValue(POSITION_HEADER);
        if (at.isPresent()) {
            try {
                return Long.parseLong(at.get().trim()) >= position;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private void error(String message) {
        errors.incrementAndGet();
        lastError = message;
        if (loggedErrors.incrementAndGet() <= 5) {
            Log.info("LAG PROBE ERROR %s", message);
        }
    }

    private synchronized void record(long nanos) {
        LatencySummary.recordNanos(histogram, nanos);
    }

    private void done() {
        slots.release();
        pending.decrementAndGet();
    }

    /** Waits until every submitted sample has been answered (or timed out). */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                Log.info("lag probe: %d samples still outstanding after %d s", pending.get(), timeout.toSeconds());
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Returns the figures since the previous call and starts afresh. */
    synchronized LagStats drain() {
        Histogram h = histogram;
        histogram = LatencySummary.newHistogram();
        LagStats stats = new LagStats(LatencySummary.of(h), h.getTotalCount(), timeouts.getAndSet(0),
                errors.getAndSet(0), lastError);
        lastError = null;
        loggedErrors.set(0);
        return stats;
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        executor.shutdownNow();
    }
}
