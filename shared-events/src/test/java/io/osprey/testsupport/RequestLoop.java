package io.osprey.testsupport;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients sending one request after another without pause, so that some are in flight at the moment a dependency
 * fails. After {@link #mark()}, each outcome is recorded as "in flight: ..." (sent before the mark) or "sent after:
 * ...", with the status and content type, or the exception's name (an {@code HttpTimeoutException}: it hung).
 */
public final class RequestLoop implements AutoCloseable {

    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicBoolean marked = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ConcurrentLinkedQueue<String> sinceMark = new ConcurrentLinkedQueue<>();
    private final ExecutorService clients;
    private final List<Future<?>> running = new ArrayList<>();

    /** {@code request} must carry its own timeout: one still waiting then counts as hanging. */
    public RequestLoop(int clientCount, HttpRequest request) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        clients = Executors.newFixedThreadPool(clientCount);
        for (int i = 0; i < clientCount; i++) {
            running.add(clients.submit(() -> {
                while (!stop.get()) {
                    boolean sentAfterMark = marked.get();
                    String outcome;
                    try {
                        HttpResponse<String> reply = client.send(request, HttpResponse.BodyHandlers.ofString());
                        outcome = reply.statusCode() + " " + reply.headers().firstValue("Content-Type").orElse("");
                        if (reply.statusCode() / 100 == 2) {
                            succeeded.incrementAndGet();
                        }
                    } catch (Exception e) {
                        outcome = e.getClass().getSimpleName();
                    }
                    if (marked.get()) {
                        sinceMark.add((sentAfterMark ? "sent after: " : "in flight: ") + outcome);
                    }
                }
                return null;
            }));
        }
    }

    /** Replies with a 2xx status so far. */
    public int succeeded() {
        return succeeded.get();
    }

    /** From now on, outcomes are recorded. */
    public void mark() {
        marked.set(true);
    }

    public List<String> outcomesSinceMark() {
        return List.copyOf(sinceMark);
    }

    public long sentAfterMark() {
        return sinceMark.stream().filter(outcome -> outcome.startsWith("sent after")).count();
    }

    /** Stops the clients once their current requests end, waiting at most {@code limit} for that. */
    public void stop(Duration limit) throws Exception {
        stop.set(true);
        try {
            for (Future<?> each : running) {
                each.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Override
    public void close() throws Exception {
        stop(Duration.ofMinutes(1));
    }
}
