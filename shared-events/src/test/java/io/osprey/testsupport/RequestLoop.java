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

import static org.awaitility.Awaitility.await;

/**
 * Clients sending one request after another without pause, so that some are in flight at the moment a dependency
 * fails ({@link #outcomesOf}). Each outcome is recorded as "in flight: ..." (sent before the failure) or "sent after:
 * ...", with the status and content type, or the exception's name (an {@code HttpTimeoutException}: it hung).
 */
public final class RequestLoop implements AutoCloseable {

    /** Successes before the failure: every client is past its first requests. */
    private static final int WARM_UP = 50;

    private final int clientCount;
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ConcurrentLinkedQueue<String> sinceFailure = new ConcurrentLinkedQueue<>();
    private final ExecutorService clients;
    private final List<Future<?>> running = new ArrayList<>();

    /** {@code request} must carry its own timeout: one still waiting then counts as hanging. */
    public RequestLoop(int clientCount, HttpRequest request) {
        this.clientCount = clientCount;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        clients = Executors.newFixedThreadPool(clientCount);
        for (int i = 0; i < clientCount; i++) {
            running.add(clients.submit(() -> {
                while (!stop.get()) {
                    boolean sentAfterFailure = failed.get();
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
                    if (failed.get()) {
                        sinceFailure.add((sentAfterFailure ? "sent after: " : "in flight: ") + outcome);
                    }
                }
                return null;
            }));
        }
    }

    /**
     * Once the clients are warm, runs {@code failure} (a dependency stops answering), waits until every client has
     * had two more answers to requests sent after it, at most {@code limit}, and stops the clients: the outcomes
     * recorded from the failure on.
     */
    public List<String> outcomesOf(Runnable failure, Duration limit) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> succeeded.get() >= WARM_UP);
        failure.run();
        failed.set(true);
        await().atMost(limit).until(() -> sinceFailure.stream().filter(o -> o.startsWith("sent after")).count()
                >= 2L * clientCount);
        stop(limit);
        return List.copyOf(sinceFailure);
    }

    /** Replies with a 2xx status so far. */
    public int succeeded() {
        return succeeded.get();
    }

    /** Stops the clients once their current requests end, waiting at most {@code limit} for that. */
    private void stop(Duration limit) throws Exception {
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
