package io.osprey.query.log;

import io.osprey.events.execution.State;
import io.osprey.query.execution.ExecutionProjection;
import io.osprey.query.execution.ExecutionQueries;
import io.osprey.query.projection.ProjectionCommits;
import io.osprey.query.projection.ProjectionPositions;
import org.apache.lucene.search.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Live tails of executions' logs over server-sent events. One thread serves every follower: after each
 * index refresh (or at least every heartbeat interval) it sends each follower the lines that came after the
 * last one it sent, in ingest order, up to the index's gap-free watermark so that a line committed late
 * into a lower position is never skipped. A follow ends when the client leaves, when it times out, or
 * when the execution is terminal and every line committed before it became terminal has been sent.
 */
public final class LogFollowers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LogFollowers.class);

    private final LogSearches searches;
    private final ExecutionQueries executions;
    private final ProjectionPositions positions;
    private final ProjectionCommits commits;
    private final Duration heartbeat;
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private Thread thread;

    LogFollowers(LogSearches searches, ExecutionQueries executions, ProjectionPositions positions,
                 ProjectionCommits commits, Duration heartbeat) {
        this.searches = searches;
        this.executions = executions;
        this.positions = positions;
        this.commits = commits;
        this.heartbeat = heartbeat;
    }

    /**
     * Starts following after the line with ingest sequence {@code afterSeq} (-1: from the first line); the emitter
     * receives {@code log} events, then one {@code end} event when done.
     */
    SseEmitter follow(String tenant, String executionId, Query lines, long afterSeq, Duration timeout) {
        return follow(tenant, executionId, lines, afterSeq, new SseEmitter(timeout.toMillis()));
    }

    SseEmitter follow(String tenant, String executionId, Query lines, long afterSeq, SseEmitter emitter) {
        Follower follower = new Follower(tenant, executionId, lines, emitter);
        follower.lastSeq = afterSeq;
        emitter.onCompletion(() -> followers.remove(follower));
        emitter.onTimeout(() -> followers.remove(follower));
        emitter.onError(error -> followers.remove(follower));
        followers.add(follower);
        commits.committed(); // wake the sender now: the lines so far go out at once
        return emitter;
    }

    /** How many clients follow this execution's logs now. */
    long following(String tenant, String executionId) {
        return followers.stream()
                .filter(follower -> follower.tenant.equals(tenant) && follower.executionId.equals(executionId)).count();
    }

    private void run() {
        long lastHeartbeat = System.nanoTime();
        while (running) {
            long seen = commits.count();
            boolean beat = System.nanoTime() - lastHeartbeat >= heartbeat.toNanos();
            if (beat) {
                lastHeartbeat = System.nanoTime();
            }
            for (Follower follower : followers) {
                serve(follower, beat); // never throws: this one thread serves every follower
            }
            try {
                commits.awaitNext(seen, heartbeat.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void serve(Follower follower, boolean heartbeat) {
        try {
            // read whether the execution is over before the lines: what is sent then covers all lines before it
            long terminalAt = terminalPosition(follower);
            long watermark = searches.watermarkSeq();
            searches.linesAfter(follower.tenant, follower.lines, follower.lastSeq, watermark, (seq, line) -> {
                send(follower, SseEmitter.event().name("log").id(Long.toString(seq))
                        .data(LogEntryView.of(follower.tenant, line), MediaType.APPLICATION_JSON));
                follower.lastSeq = seq;
            });
            if (terminalAt >= 0 && LogFields.position(watermark + 1) > terminalAt) {
                send(follower, SseEmitter.event().name("end").data("{\"executionId\":\"" + follower.executionId + "\"}",
                        MediaType.APPLICATION_JSON));
                followers.remove(follower);
                end(follower, null);
            } else if (heartbeat) {
                send(follower, SseEmitter.event().comment("heartbeat"));
            }
        } catch (ClientLeftException clientLeft) {
            // the container completes the request itself; completing it from this thread too would throw
            followers.remove(follower);
        } catch (IOException | RuntimeException e) {
            log.warn("following the logs of {} failed", follower.executionId, e);
            followers.remove(follower);
            end(follower, e); // the client may come back with Last-Event-ID and resume after the last line it got
        }
    }

    private static void send(Follower follower, SseEmitter.SseEventBuilder event) {
        try {
            follower.emitter.send(event);
        } catch (IOException | IllegalStateException e) {
            // IOException: the client left; IllegalStateException: the container already ended the request
            throw new ClientLeftException(e);
        }
    }

    private static void end(Follower follower, Throwable failure) {
        try {
            if (failure == null) {
                follower.emitter.complete();
            } else {
                follower.emitter.completeWithError(failure);
            }
        } catch (IllegalStateException clientLeft) {
            // the client left meanwhile and the container has ended the request
        }
    }

    /** The executions projection's position once it shows the execution terminal, -1 before. */
    private long terminalPosition(Follower follower) {
        if (follower.terminalAt < 0) {
            Optional<State> state = executions.state(follower.tenant, follower.executionId);
            if (state.isPresent() && state.get().isTerminal()) {
                // read after the state: the event that made it terminal lies at or below this position
                follower.terminalAt = positions.progress(ExecutionProjection.PROCESSOR).position();
            }
        }
        return follower.terminalAt;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "log-followers");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        followers.forEach(follower -> end(follower, null));
        followers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static final class ClientLeftException extends RuntimeException {
        ClientLeftException(Throwable cause) {
            super(cause);
        }
    }

    private static final class Follower {
        final String tenant;
        final String executionId;
        final Query lines;
        final SseEmitter emitter;
        long lastSeq = -1;
        long terminalAt = -1;

        Follower(String tenant, String executionId, Query lines, SseEmitter emitter) {
            this.tenant = tenant;
            this.executionId = executionId;
            this.lines = lines;
            this.emitter = emitter;
        }
    }
}
