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
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live tails of executions' logs over server-sent events. One thread watches the index: after each refresh (or at
 * least every heartbeat interval) it marks every follower due. A small pool of senders writes to the followers that
 * are due, each follower on one sender at a time: the lines that came after the last one it sent, in ingest order, up
 * to the index's gap-free watermark so that a line committed late into a lower position is never skipped. Writes
 * block, so a client that stops reading holds its sender until the server's write timeout ends its follow; the other
 * followers go on with the other senders. A follow ends when the client leaves, when it times out, or when the
 * execution is terminal and every line committed before it became terminal has been sent.
 */
public final class LogFollowers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LogFollowers.class);

    private final LogSearches searches;
    private final ExecutionQueries executions;
    private final ProjectionPositions positions;
    private final ProjectionCommits commits;
    private final Duration heartbeat;
    private final int senderCount;
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private Thread watcher;
    private ThreadPoolExecutor senders;

    LogFollowers(LogSearches searches, ExecutionQueries executions, ProjectionPositions positions,
                 ProjectionCommits commits, Duration heartbeat, int senderCount) {
        this.searches = searches;
        this.executions = executions;
        this.positions = positions;
        this.commits = commits;
        this.heartbeat = heartbeat;
        this.senderCount = senderCount;
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
        // something goes out at once, a heartbeat when there are no lines yet: the response's headers go with it,
        // instead of a heartbeat interval later
        follower.heartbeatDue = true;
        emitter.onCompletion(() -> forget(follower));
        emitter.onTimeout(() -> forget(follower));
        emitter.onError(error -> forget(follower));
        followers.add(follower);
        commits.committed(); // wake the watcher now: the lines so far go out at once
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
                due(follower, beat);
            }
            try {
                awaitNextRound(seen, lastHeartbeat + heartbeat.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Until a batch commits or the heartbeat is due; while a gap holds the follows back, also until it no longer
     * does (the database says its write rolled back), which no commit may come to announce.
     */
    private void awaitNextRound(long seen, long heartbeatDue) throws InterruptedException {
        long heldAt = followers.isEmpty() || !searches.heldBackByAGap() ? -1 : searches.watermarkSeq();
        while (running && commits.count() == seen) {
            long left = heartbeatDue - System.nanoTime();
            if (left <= 0) {
                return;
            }
            commits.awaitNext(seen, heldAt < 0 ? left : Math.min(left, GapWatermark.RECHECK.toNanos()));
            if (heldAt >= 0 && searches.watermarkSeq() != heldAt) {
                return;
            }
        }
    }

    /** Marks the follower due and hands it to a sender unless one is at it already (which then serves it again). */
    private void due(Follower follower, boolean heartbeat) {
        if (heartbeat) {
            follower.heartbeatDue = true;
        }
        follower.due = true;
        if (follower.sending.compareAndSet(false, true)) {
            try {
                senders.execute(() -> serveWhileDue(follower));
            } catch (RejectedExecutionException stopping) {
                follower.sending.set(false);
            }
        }
    }

    private void serveWhileDue(Follower follower) {
        do {
            try {
                while (follower.due && !follower.gone) {
                    follower.due = false;
                    boolean heartbeat = follower.heartbeatDue;
                    follower.heartbeatDue = false;
                    serve(follower, heartbeat);
                }
            } finally {
                follower.sending.set(false); // even after an Error: the next round may serve it again
            }
            // a mark made after the check above and before the flag cleared found a sender at work: serve it here
        } while (follower.due && !follower.gone && follower.sending.compareAndSet(false, true));
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
                forget(follower);
                end(follower);
            } else if (heartbeat) {
                send(follower, SseEmitter.event().comment("heartbeat"));
            }
        } catch (ClientLeftException clientLeft) {
            // the container completes the request itself; completing it from this thread too would throw
            forget(follower);
        } catch (LogIndexUnavailableException reopening) {
            // the index's next refresh, once it is open again, makes the follow due: it reads on from where it was
        } catch (IOException | RuntimeException e) {
            log.warn("following the logs of {} failed", follower.executionId, e);
            forget(follower);
            // ended as a stream that is over (an error would be written into it as a reply of its own): the client may
            // come back with Last-Event-ID and resume after the last line it got
            end(follower);
        }
    }

    private void forget(Follower follower) {
        follower.gone = true;
        followers.remove(follower);
    }

    private static void send(Follower follower, SseEmitter.SseEventBuilder event) {
        try {
            follower.emitter.send(event);
        } catch (IOException | IllegalStateException e) {
            // IOException: the client left; IllegalStateException: the container already ended the request
            throw new ClientLeftException(e);
        }
    }

    private static void end(Follower follower) {
        try {
            follower.emitter.complete();
        } catch (IllegalStateException clientLeft) {
            // the client left meanwhile and the container has ended the request
        }
    }

    /**
     * The executions projection's position once it shows the execution terminal, -1 before, and while the database
     * cannot tell: the lines come from the index, and a follow goes on through a database outage until it can.
     */
    private long terminalPosition(Follower follower) {
        if (follower.terminalAt < 0) {
            try {
                Optional<State> state = executions.state(follower.tenant, follower.executionId);
                if (state.isPresent() && state.get().isTerminal()) {
                    // read after the state: the event that made it terminal lies at or below this position
                    follower.terminalAt = positions.progress(ExecutionProjection.PROCESSOR).position();
                }
            } catch (DataAccessException databaseAway) {
                log.debug("the state of {} is not known now, following on: {}", follower.executionId, databaseAway.toString());
            }
        }
        return follower.terminalAt;
    }

    @Override
    public void start() {
        running = true;
        AtomicInteger senderNumber = new AtomicInteger();
        senders = new ThreadPoolExecutor(senderCount, senderCount, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread sender = new Thread(task, "log-follow-sender-" + senderNumber.incrementAndGet());
                    sender.setDaemon(true);
                    return sender;
                });
        senders.allowCoreThreadTimeOut(true);
        watcher = new Thread(this::run, "log-followers");
        watcher.setDaemon(true);
        watcher.start();
    }

    @Override
    public void stop() {
        running = false;
        if (watcher != null) {
            watcher.interrupt();
        }
        if (senders != null) {
            // not interrupted: a sender may be opening a log partition, and an interrupt closes Lucene's file channels
            senders.shutdown();
        }
        followers.forEach(LogFollowers::end);
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
        /** Held by the one sender serving this follower; lastSeq and terminalAt are only touched under it. */
        final AtomicBoolean sending = new AtomicBoolean();
        volatile boolean due;
        volatile boolean heartbeatDue;
        volatile boolean gone;
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
