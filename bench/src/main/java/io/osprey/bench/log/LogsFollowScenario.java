package io.osprey.bench.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.Args;
import io.osprey.bench.support.CpuUsage;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.LatencySummary;
import io.osprey.bench.support.Log;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scenario {@code logs-follow}: F clients follow F executions' logs over server-sent events while a writer posts one
 * line to each execution per batch; the latency of each line from its batch's acknowledgement to its arrival at its
 * follower, and whether every line arrived exactly once. A second phase does the same while S more clients follow
 * executions with megabytes of lines and never read, as clients that hang would: each holds one of the query side's
 * follow senders until the server's write timeout. A third phase puts each batch behind G global indexes that
 * transactions took and rolled back, as command sides losing races leave them: a follow must not pass such a gap
 * while its write may still commit, nor wait for the gap timeout once it cannot. No raw baseline applies: nothing
 * plain does what a follow does.
 */
public final class LogsFollowScenario {

    public static final String USAGE = """
            logs-follow [options]
              --followers F         clients reading a follow each, of F executions (default 64)
              --batches N           batches per phase, one line to each followed execution in each (default 100)
              --interval-ms I       pause between batches (default 50)
              --stalled S           clients of the second phase that follow and never read (default 4; 0: no second phase)
              --stalled-mb M        megabytes of lines each stalled client's execution holds (default 16)
              --gaps G              rolled-back global indexes before each batch of the third phase (default 1; 0: no third phase)
            """ + LogRun.COMMON_USAGE;
    public static final Set<String> FLAGS = LogRun.FLAGS;
    private static final Set<String> OPTIONS = Set.of("followers", "batches", "interval-ms", "stalled", "stalled-mb",
            "gaps");
    static final String SCENARIO = "logs-follow";
    private static final Pattern MESSAGE = Pattern.compile("\"message\":\"follow-bench (\\d+) (\\d+)\"");
    private static final long BASE_MILLIS = LogGenerator.START.toEpochMilli();

    private final LogRun run;
    private final int followers;
    private final int batches;
    private final int intervalMs;
    private final int stalled;
    private final int stalledMb;
    private final int gaps;
    /** Arrival of each (phase batch, follower): the batch's acknowledgement time is subtracted when it is known. */
    private final Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
    private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();

    public LogsFollowScenario(Args args) {
        this.run = new LogRun(args, OPTIONS);
        this.followers = args.integer("followers", 64, 1);
        this.batches = args.integer("batches", 100, 1);
        this.intervalMs = args.integer("interval-ms", 50, 0);
        this.stalled = args.integer("stalled", 4, 0);
        this.stalledMb = args.integer("stalled-mb", 16, 1);
        this.gaps = args.integer("gaps", 1, 0);
    }

    public int run(PrintStream out) {
        ObjectNode parameters = JsonLine.object();
        parameters.put("followers", followers);
        parameters.put("batches", batches);
        parameters.put("interval_ms", intervalMs);
        parameters.put("stalled", stalled);
        parameters.put("stalled_mb", stalledMb);
        parameters.put("gaps", gaps);
        run.commonParameters(parameters);
        return run.execute(SCENARIO, parameters, out, this::measure);
    }

    private ObjectNode measure() throws Exception {
        run.startServers("osprey-bench-logs-follow-");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<?>> follows = new ArrayList<>();
        for (int follower = 0; follower < followers; follower++) {
            follows.add(follow(http, follower));
        }
        try {
            ObjectNode line = JsonLine.object();
            // not measured: every follow open and delivering, and the code of the path compiled
            phase("warm-up", 0);
            line.set("reading", phase("all reading", 1));
            if (stalled > 0) {
                List<Socket> hanging = stallClients();
                try {
                    line.set("with_stalled", phase(stalled + " stalled", 2));
                } finally {
                    for (Socket socket : hanging) {
                        socket.close();
                    }
                }
            }
            if (gaps > 0) {
                line.set("behind_gaps", phase(gaps + " rolled-back indexes before each batch", 3));
            }
            run.requireAlive("the follows");
            // the one target: every line reaches its follower exactly once, stalled clients or not
            boolean exactlyOnce = Stream.of(line.path("reading"), line.path("with_stalled"), line.path("behind_gaps"))
                    .filter(phase -> !phase.isMissingNode())
                    .allMatch(phase -> phase.path("lines_missing").asLong() == 0 && phase.path("lines_duplicated").asLong() == 0);
            ObjectNode targets = line.putObject("targets");
            targets.put("every_line_once_met", exactlyOnce);
            targets.put("all_met", exactlyOnce);
            return line;
        } finally {
            follows.forEach(follow -> follow.cancel(true));
        }
    }

    private static String execution(int follower) {
        return "follow-bench-" + follower;
    }

    private CompletableFuture<?> follow(HttpClient http, int follower) {
        HttpRequest request = HttpRequest.newBuilder(run.api.followUri(execution(follower)))
                .header("Accept", "text/event-stream").build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(reply -> reply.body().forEach(text -> {
            if (text.startsWith("data:")) {
                Matcher m = MESSAGE.matcher(text);
                if (m.find()) {
                    long key = key(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)));
                    if (arrivals.putIfAbsent(key, System.nanoTime()) != null) {
                        duplicates.incrementAndGet();
                    }
                }
            }
        }));
    }

    private static long key(long batch, int follower) {
        return batch * 1_000_000L + follower;
    }

    /** One phase: N batches, one line per follower each; the latency of every line from acknowledgement to arrival. */
    private ObjectNode phase(String name, int phase) throws Exception {
        Log.info("logs-follow: %s: %d batches of %d lines, %d ms apart", name, batches, followers, intervalMs);
        Map<String, ProcessHandle> children = run.children();
        CpuUsage.Snapshot cpuBefore = CpuUsage.snapshot(children);
        Histogram ackLatency = LatencySummary.newHistogram();
        long first = (long) phase * batches;
        long started = System.nanoTime();
        try (Connection gapTaker = phase == 3 ? run.database.connect() : null) {
            for (long batch = first; batch < first + batches; batch++) {
                if (gapTaker != null) {
                    leaveGaps(gapTaker);
                }
                List<LogLine> lines = new ArrayList<>(followers);
                for (int follower = 0; follower < followers; follower++) {
                    lines.add(new LogLine("company.follow", "follow-bench", execution(follower), "tail", "tail-1", 0, null,
                            "INFO", BASE_MILLIS + batch, "worker-1", "follow-bench " + batch + " " + follower));
                }
                OspreyLogApi.IngestReply reply = run.api.ingest(lines);
                if (reply.status() != 200) {
                    throw new IllegalStateException("ingest answered " + reply.status() + ": " + reply.body());
                }
                acknowledged.put(batch, System.nanoTime());
                LatencySummary.recordNanos(ackLatency, reply.latencyNanos());
                if (intervalMs > 0) {
                    TimeUnit.MILLISECONDS.sleep(intervalMs);
                }
            }
        }
        long expected = (long) batches * followers;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (arrived(first) < expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Histogram delivery = LatencySummary.newHistogram();
        for (long batch = first; batch < first + batches; batch++) {
            for (int follower = 0; follower < followers; follower++) {
                Long arrival = arrivals.get(key(batch, follower));
                if (arrival != null) {
                    LatencySummary.recordNanos(delivery, Math.max(0, arrival - acknowledged.get(batch)));
                }
            }
        }
        long delivered = arrived(first);
        ObjectNode node = JsonLine.object();
        node.put("lines_expected", expected);
        node.put("lines_delivered", delivered);
        node.put("lines_missing", expected - delivered);
        node.put("lines_duplicated", duplicates.getAndSet(0));
        JsonLine.put(node, "delivered_lines_per_s", delivered / seconds);
        node.set("ack_to_follower_ms", JsonLine.latency(LatencySummary.of(delivery)));
        node.set("ingest_request_ms", JsonLine.latency(LatencySummary.of(ackLatency)));
        ObjectNode cpu = node.putObject("cpu_s");
        CpuUsage.between(cpuBefore, CpuUsage.snapshot(children)).forEach((process, s) -> JsonLine.put(cpu, process, s));
        Log.info("logs-follow: %s: %d of %d lines, ack to follower p50 %.1f ms, p99 %.1f ms", name, delivered, expected,
                LatencySummary.of(delivery).p50(), LatencySummary.of(delivery).p99());
        return node;
    }

    /** Takes {@code gaps} global indexes in a transaction that rolls back: no event will ever hold them. */
    private void leaveGaps(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (int gap = 0; gap < gaps; gap++) {
                statement.execute("SELECT nextval(pg_get_serial_sequence('domain_event_entry', 'global_index'))");
            }
        } finally {
            connection.rollback();
        }
    }

    private long arrived(long firstBatch) {
        return arrivals.keySet().stream().filter(key -> key / 1_000_000L >= firstBatch
                && key / 1_000_000L < firstBatch + batches).count();
    }

    /**
     * Clients that follow executions holding {@code stalledMb} MB of lines each and read nothing past the reply's
     * first bytes: the server's writes to them block once the socket buffers fill.
     */
    private List<Socket> stallClients() throws Exception {
        String text = "stalled ".repeat(8_000);
        int linesPerBatch = 100;
        int batchesPerClient = Math.max(1, stalledMb * 1_000_000 / (text.length() * linesPerBatch));
        for (int client = 0; client < stalled; client++) {
            for (int batch = 0; batch < batchesPerClient; batch++) {
                List<LogLine> lines = new ArrayList<>(linesPerBatch);
                for (int i = 0; i < linesPerBatch; i++) {
                    lines.add(new LogLine("company.follow", "follow-bench", "stalled-" + client, "tail", "tail-1", 0,
                            null, "INFO", BASE_MILLIS + i, "worker-1", text));
                }
                OspreyLogApi.IngestReply reply = run.api.ingest(lines);
                if (reply.status() != 200) {
                    throw new IllegalStateException("ingest answered " + reply.status() + ": " + reply.body());
                }
            }
        }
        URI query = run.querySide.baseUri();
        List<Socket> sockets = new ArrayList<>();
        for (int client = 0; client < stalled; client++) {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(query.getHost(), query.getPort()), 5_000);
            OutputStream request = socket.getOutputStream();
            request.write(("GET " + run.api.followUri("stalled-" + client).getRawPath() + " HTTP/1.1\r\nHost: "
                    + query.getHost() + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            if (socket.getInputStream().read() < 0) {
                throw new IOException("a stalled client's follow closed before its first byte");
            }
            sockets.add(socket);
        }
        Log.info("logs-follow: %d clients follow %d MB each and read nothing more", stalled, stalledMb);
        return sockets;
    }
}
