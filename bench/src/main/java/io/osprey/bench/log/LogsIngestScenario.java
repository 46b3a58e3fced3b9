package io.osprey.bench.log;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.Args;
import io.osprey.bench.support.CpuUsage;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.LatencySummary;
import io.osprey.bench.support.Log;
import io.osprey.bench.support.Stats;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Scenario {@code logs-ingest}: generated log lines through Osprey's HTTP API, batches from K clients; acknowledged
 * lines/s with the latency of each request, and searchable lines/s (until the query side's log index covers the
 * last acknowledged position); against PostgreSQL COPY of the same lines into a plain table and plain Lucene
 * indexing of them, in the same run; bytes written by each. See {@link #USAGE}.
 */
public final class LogsIngestScenario {

    public static final String USAGE = """
            logs-ingest [options]
              --lines N             measured lines (default 1000000)
              --warmup W            a first round on W lines, not measured: every phase of Osprey and both baselines (default 1000000)
              --rounds R            measured rounds, each on new lines; figures and ratios are medians over rounds (default 3)
              --days D              days the lines' timestamps span, from 2025-06-01 (default 30, as in logs-search)
              --tenants N           Osprey's batches go to N tenants in turn, <tenant>-0 to <tenant>-N-1 (default 1):
                                    N x days log partitions, of which osprey.logs.index.open-partitions stay open
            """ + LogRun.COMMON_USAGE;
    public static final Set<String> FLAGS = LogRun.FLAGS;
    private static final Set<String> OPTIONS = Set.of("lines", "warmup", "rounds", "days", "tenants");

    static final String SCENARIO = "logs-ingest";
    static final double INGEST_RATIO_MIN = 0.5;
    static final double SEARCHABLE_RATIO_MIN = 0.6;

    private final LogRun run;
    private final int lines;
    private final int warmup;
    private final int rounds;
    private final int days;
    private final int tenants;

    public LogsIngestScenario(Args args) {
        this.run = new LogRun(args, OPTIONS);
        this.lines = args.integer("lines", 1_000_000, 1);
        this.warmup = args.integer("warmup", 1_000_000, 0);
        this.rounds = args.integer("rounds", 3, 1);
        this.days = args.integer("days", LogGenerator.DAYS, 1);
        this.tenants = args.integer("tenants", 1, 1);
    }

    /** Runs the scenario, prints its one JSON line on {@code out}, returns the process exit status. */
    public int run(PrintStream out) {
        ObjectNode parameters = JsonLine.object();
        parameters.put("lines", lines);
        parameters.put("warmup", warmup);
        parameters.put("rounds", rounds);
        parameters.put("days", days);
        parameters.put("tenants", tenants);
        run.commonParameters(parameters);
        parameters.put("executions", new LogGenerator(run.seed, lines, days).executions());
        return run.execute(SCENARIO, parameters, out, this::measure);
    }

    private ObjectNode measure() throws Exception {
        run.startServers("osprey-bench-logs-ingest-");
        CopyBaseline copy = new CopyBaseline(run.database);
        copy.createTable();
        if (warmup > 0) {
            // a whole round on other lines, discarded: every phase's code is compiled before it is measured
            round("warm-up", new LogGenerator(run.seed + 1, warmup, days), new LogGenerator(run.seed + 2, warmup, days),
                    copy);
        }
        List<ObjectNode> measured = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String name = rounds == 1 ? "measured" : "round " + (round + 1) + "/" + rounds;
            long seed = run.seed + 3L * (round + 1);
            measured.add(round(name, new LogGenerator(seed, lines, days), new LogGenerator(seed + 1, lines, days), copy));
        }

        ObjectNode line = JsonLine.median(measured);
        ObjectNode ratios = (ObjectNode) line.get("ratios");
        boolean ingestMet = ratios.path("ingest_over_copy").asDouble() >= INGEST_RATIO_MIN;
        boolean searchableMet = ratios.path("searchable_over_lucene").asDouble() >= SEARCHABLE_RATIO_MIN;
        boolean bytesMet = line.path("bytes").path("osprey_event_store").asLong()
                < line.path("bytes").path("copy_table").asLong();
        ObjectNode targets = line.putObject("targets");
        JsonLine.put(targets, "ingest_over_copy_min", INGEST_RATIO_MIN);
        JsonLine.put(targets, "searchable_over_lucene_min", SEARCHABLE_RATIO_MIN);
        targets.put("ingest_met", ingestMet);
        targets.put("searchable_met", searchableMet);
        targets.put("event_store_smaller_than_copy_met", bytesMet);
        targets.put("all_met", ingestMet && searchableMet && bytesMet);
        // not the targets (those are measured with both services on this machine): the same thresholds
        // with the query side off this machine's CPU, as it would be on its own node
        targets.put("write_path_over_copy_met", ratios.path("write_path_over_copy").asDouble() >= INGEST_RATIO_MIN);
        targets.put("catch_up_indexing_over_lucene_met",
                ratios.path("catch_up_indexing_over_lucene").asDouble() >= SEARCHABLE_RATIO_MIN);
        ArrayNode perRound = line.putArray("rounds");
        for (ObjectNode round : measured) {
            ObjectNode summary = perRound.addObject();
            summary.set("ratios", round.get("ratios"));
            summary.put("osprey_lines_per_s", round.path("osprey").path("lines_per_s").asDouble());
            summary.put("searchable_lines_per_s", round.path("osprey").path("searchable").path("lines_per_s").asDouble());
            summary.put("write_path_lines_per_s", round.path("osprey_write_path").path("lines_per_s").asDouble());
            summary.put("catch_up_lines_per_s",
                    round.path("osprey_write_path").path("catch_up").path("lines_per_s").asDouble());
            summary.put("copy_lines_per_s", round.path("baseline").path("copy").path("lines_per_s").asDouble());
            summary.put("lucene_lines_per_s", round.path("baseline").path("lucene").path("lines_per_s").asDouble());
            summary.set("cpu_s_osprey", round.path("cpu_s").path("osprey"));
        }
        return line;
    }

    /**
     * One round, every side on new lines of the same shape: Osprey with both services on the machine, Osprey's
     * write path alone (on {@code alone}) and its catch-up, COPY, plain Lucene; one after the other, so that a
     * noisy neighbour shifts the figures of one round more than their ratios.
     */
    private ObjectNode round(String round, LogGenerator measured, LogGenerator alone, CopyBaseline copy)
            throws Exception {
        int lineCount = measured.lines();
        Map<String, ProcessHandle> children = run.children();
        long eventStoreBefore = PgStats.totalRelationSize(run.database, "domain_event_entry");
        long databaseBefore = PgStats.databaseSize(run.database);
        long indexBefore = LogRun.directorySize(run.indexDir);
        long walBefore = PgStats.walBytes(run.database);
        CpuUsage.Snapshot cpuBefore = CpuUsage.snapshot(children);
        OspreyIngest.Result osprey = OspreyIngest.run(phase("osprey ingest", round), measured, run.api, run.batch,
                run.clients, tenants, run.indexStall);
        Map<String, Double> ospreyCpu = CpuUsage.between(cpuBefore, CpuUsage.snapshot(children));
        long ospreyWal = PgStats.walBytes(run.database) - walBefore;
        long eventStoreBytes = PgStats.totalRelationSize(run.database, "domain_event_entry") - eventStoreBefore;
        long databaseGrowth = PgStats.databaseSize(run.database) - databaseBefore;
        long ospreyIndexBytes = LogRun.directorySize(run.indexDir) - indexBefore;
        run.requireAlive("the Osprey ingest");
        ObjectNode check = executionCheck(measured);
        ObjectNode writePath = writePathAlone(round, alone);

        // raw baseline 1: COPY into a plain table, emptied after each round
        walBefore = PgStats.walBytes(run.database);
        cpuBefore = CpuUsage.snapshot(Map.of());
        BatchPhase copied = copy.load(phase("copy", round), measured, run.batch, run.clients);
        Map<String, Double> copyCpu = CpuUsage.between(cpuBefore, CpuUsage.snapshot(Map.of()));
        copied.requireNoErrors();
        long copyWal = PgStats.walBytes(run.database) - walBefore;
        long copyBytes = copy.bytes();
        copy.truncate();

        // raw baseline 2: plain Lucene into a new index, deleted after each round
        Path luceneDir = run.workDir().resolve("lucene-raw");
        cpuBefore = CpuUsage.snapshot(Map.of());
        LuceneBaseline.Result lucene = LuceneBaseline.index(phase("lucene", round), measured, run.batch, run.clients,
                luceneDir);
        Map<String, Double> luceneCpu = CpuUsage.between(cpuBefore, CpuUsage.snapshot(Map.of()));
        deleteDirectory(luceneDir);

        ObjectNode line = JsonLine.object();
        ObjectNode ospreyNode = osprey.json();
        ospreyNode.set("index_check", check);
        line.set("osprey", ospreyNode);
        line.set("osprey_write_path", writePath);
        ObjectNode baseline = line.putObject("baseline");
        ObjectNode copyNode = baseline.putObject("copy");
        copyNode.put("method", "PostgreSQL COPY ... FROM STDIN (FORMAT text) via pgjdbc CopyManager into a plain table"
                + " of the line's 11 columns (no index), " + run.clients + " connections, one COPY = one transaction"
                + " per batch of " + run.batch + " lines");
        copyNode.setAll(copied.json());
        baseline.set("lucene", lucene.json());

        ObjectNode ratios = line.putObject("ratios");
        JsonLine.put(ratios, "ingest_over_copy", Stats.ratio(osprey.phase().linesPerSecond(), copied.linesPerSecond()));
        JsonLine.put(ratios, "searchable_over_lucene",
                Stats.ratio(osprey.searchableLinesPerSecond(), lucene.linesPerSecond()));
        JsonLine.put(ratios, "write_path_over_copy",
                Stats.ratio(writePath.get("lines_per_s").asDouble(), copied.linesPerSecond()));
        JsonLine.put(ratios, "catch_up_indexing_over_lucene",
                Stats.ratio(writePath.path("catch_up").get("lines_per_s").asDouble(), lucene.linesPerSecond()));

        ObjectNode bytes = line.putObject("bytes");
        bytes.put("osprey_event_store", eventStoreBytes);
        bytes.put("osprey_database_growth", databaseGrowth);
        bytes.put("osprey_wal", ospreyWal);
        bytes.put("osprey_log_index", ospreyIndexBytes);
        bytes.put("copy_table", copyBytes);
        bytes.put("copy_wal", copyWal);
        bytes.put("raw_lucene_index", lucene.indexBytes());
        JsonLine.put(bytes, "event_store_over_copy_table", Stats.ratio(eventStoreBytes, copyBytes));
        JsonLine.put(bytes, "osprey_wal_over_copy_wal", Stats.ratio(ospreyWal, copyWal));
        ObjectNode perLine = bytes.putObject("per_line");
        JsonLine.put(perLine, "osprey_event_store", (double) eventStoreBytes / lineCount);
        JsonLine.put(perLine, "copy_table", (double) copyBytes / lineCount);
        JsonLine.put(perLine, "osprey_log_index", (double) ospreyIndexBytes / lineCount);
        JsonLine.put(perLine, "raw_lucene_index", (double) lucene.indexBytes() / lineCount);
        bytes.put("measured", "pg_total_relation_size of domain_event_entry grown during the Osprey measure vs of the"
                + " COPY table; pg_database_size growth; WAL bytes (pg_current_wal_lsn, server-wide) during each load;"
                + " growth of Osprey's index directory during its measure (merges of earlier segments included) and"
                + " the plain Lucene index");

        ObjectNode cpu = line.putObject("cpu_s");
        cpu.set("osprey", JsonLine.MAPPER.valueToTree(CpuUsage.rounded(ospreyCpu)));
        cpu.set("copy", JsonLine.MAPPER.valueToTree(CpuUsage.rounded(copyCpu)));
        cpu.set("lucene", JsonLine.MAPPER.valueToTree(CpuUsage.rounded(luceneCpu)));
        cpu.put("measured", "CPU seconds of the bench JVM, each child process (of which its JIT compiler threads, *_jit,"
                + " and its GC threads, *_gc)"
                + " and the whole machine (PostgreSQL included) from the first request until searchable (osprey),"
                + " during the COPY and the Lucene load");
        return line;
    }

    private static String phase(String name, String round) {
        return name + " (" + round + ")";
    }

    /**
     * Osprey's write path with the machine to itself: the query side frozen (SIGSTOP, as if it ran on its own node)
     * while as many other lines are ingested, then resumed: how fast it indexes them alone. On two shared cores the
     * index otherwise takes the CPU the ingest would use, which COPY into an unindexed table never pays.
     */
    private ObjectNode writePathAlone(String round, LogGenerator lines) throws Exception {
        Map<String, ProcessHandle> children = run.children();
        run.querySide.suspend();
        OspreyIngest.Acknowledged acknowledged;
        CpuUsage.Snapshot cpuBefore = CpuUsage.snapshot(children);
        Map<String, Double> cpu;
        try {
            acknowledged = OspreyIngest.acknowledge(phase("osprey write path", round), lines, run.api, run.batch, run.clients,
                    tenants);
            cpu = CpuUsage.between(cpuBefore, CpuUsage.snapshot(children));
        } finally {
            run.querySide.resume();
        }
        long resumed = System.nanoTime();
        cpuBefore = CpuUsage.snapshot(children);
        long indexed = run.api.awaitIndexed(acknowledged.lastPosition(), run.indexStall);
        Map<String, Double> catchUpCpu = CpuUsage.between(cpuBefore, CpuUsage.snapshot(children));
        double catchUpSeconds = (indexed - resumed) / 1e9;
        Log.info("%s: %.0f lines/s acknowledged with the query side frozen; it then indexed them in"
                + " %.2f s = %.0f lines/s", phase("osprey write path", round), acknowledged.phase().linesPerSecond(), catchUpSeconds,
                acknowledged.phase().lines() / catchUpSeconds);

        ObjectNode node = JsonLine.object();
        node.put("query_side", "frozen (SIGSTOP) during the load, as if on its own machine; resumed after it");
        node.put("lines", acknowledged.phase().lines());
        JsonLine.put(node, "seconds", acknowledged.phase().seconds());
        JsonLine.put(node, "lines_per_s", acknowledged.phase().linesPerSecond());
        node.set("request_latency_ms", JsonLine.latency(LatencySummary.of(acknowledged.phase().latencyMicros())));
        node.set("cpu_s", JsonLine.MAPPER.valueToTree(CpuUsage.rounded(cpu)));
        ObjectNode catchUp = node.putObject("catch_up");
        catchUp.put("measured", "from SIGCONT until the index covers the last acknowledged position: indexing alone");
        JsonLine.put(catchUp, "seconds", catchUpSeconds);
        JsonLine.put(catchUp, "lines_per_s", acknowledged.phase().lines() / catchUpSeconds);
        catchUp.set("cpu_s", JsonLine.MAPPER.valueToTree(CpuUsage.rounded(catchUpCpu)));
        run.requireAlive("the write-path ingest");
        return node;
    }

    /**
     * One execution of the measured lines, read back with GET /logs/{executionId}: all of its lines? With several
     * tenants, its batches went to different ones: the lines of every tenant together.
     */
    private ObjectNode executionCheck(LogGenerator measured) throws Exception {
        LogGenerator.Execution execution = measured.execution(measured.executionOf(measured.lines() / 2));
        int returned = 0;
        OspreyLogApi.ExecutionReply failed = null;
        for (int tenant = 0; tenant < tenants && failed == null; tenant++) {
            OspreyLogApi.ExecutionReply reply = run.api.executionLines(OspreyIngest.tenant(run.api, tenants, tenant),
                    execution.id());
            if (reply.ok()) {
                returned += reply.lines();
            } else {
                failed = reply;
            }
        }
        ObjectNode check = JsonLine.object();
        check.put("execution_id", execution.id());
        check.put("expected_lines", execution.lineCount());
        check.put("returned_lines", returned);
        check.put("status", failed == null ? 200 : failed.status());
        check.put("ok", failed == null && returned == execution.lineCount());
        if (!check.get("ok").asBoolean()) {
            Log.info("index check FAILED: GET /logs/%s returned HTTP %d with %d lines, expected %d: %s",
                    execution.id(), failed == null ? 200 : failed.status(), returned, execution.lineCount(),
                    failed == null ? "" : OspreyIngest.abbreviate(failed.body()));
        }
        return check;
    }

    private static void deleteDirectory(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
