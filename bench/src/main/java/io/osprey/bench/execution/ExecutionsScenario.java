package io.osprey.bench.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.Args;
import io.osprey.bench.support.BenchDatabase;
import io.osprey.bench.support.BenchWorkspace;
import io.osprey.bench.support.ChildProcess;
import io.osprey.bench.support.CpuUsage;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.LatencySummary;
import io.osprey.bench.support.Log;
import io.osprey.bench.support.OspreyJars;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scenario {@code executions}: N executions x M task runs x their state changes through the HTTP command API
 * with K concurrent clients against PostgreSQL, command-side and query-side as separate child processes;
 * then the raw JDBC baseline on the same event rows. See {@link #USAGE}.
 */
public final class ExecutionsScenario {

    public static final String USAGE = """
            executions [options]
              --executions N        measured executions per round (default 300)
              --task-runs M         task runs per execution (default 5); commands per execution = 3 + 3*M
              --clients K           concurrent HTTP clients, also raw-baseline threads/connections (default 8)
              --warmup W            warm-up executions before the first round, not measured, so the JIT has compiled the hot paths (default 300)
              --rounds R            measured rounds; figures are medians over rounds (default 1)
              --lag-sample-every E  probe visibility lag after every E-th command, plus every final SUCCESS (default 5)
              --lag-threads T       threads of the lag prober's HTTP client (default 2)
              --tenant T            tenant in the API paths (default main)
              --repo DIR            repository root (default: found from the bench jar or working directory)
              --command-jar FILE    default <repo>/command-side/target/command-side-0.1.0-SNAPSHOT-exec.jar
              --query-jar FILE      default <repo>/query-side/target/query-side-0.1.0-SNAPSHOT-exec.jar
              --pg-url URL          admin JDBC URL (env OSPREY_BENCH_PG_URL, default jdbc:postgresql://127.0.0.1:5432/postgres)
              --pg-user USER        (env OSPREY_BENCH_PG_USER, default postgres)
              --pg-password PW      (env OSPREY_BENCH_PG_PASSWORD, default none)
              --jvm-opts "OPTS"     JVM options of the two child processes (default "-Xmx512m")
              --child-arg ARG       extra argument for both child processes (repeatable), e.g. --child-arg=--logging.level.root=WARN
              --startup-timeout S   seconds to wait for each child to report UP (default 240)
              --parallel-start      start command-side and query-side at the same time (default: one after the other)
              --keep-workdir        keep the children's working directory and logs even on success
              --require-targets     exit with status 3 when a target is missed
              --http-executor X     executor of the command clients' java.net.http.HttpClient: direct (default) or pool
            """;

    private static final Set<String> OPTIONS = Set.of("executions", "task-runs", "clients", "warmup", "rounds",
            "lag-sample-every", "lag-threads", "tenant", "repo", "command-jar", "query-jar", "pg-url", "pg-user",
            "pg-password", "jvm-opts", "child-arg", "startup-timeout", "parallel-start", "keep-workdir",
            "require-targets", "http-executor", "help");
    public static final Set<String> FLAGS = Set.of("parallel-start", "keep-workdir", "require-targets", "help");

    private final Args args;
    private final ExecutionsReport.Parameters parameters;
    private final String httpExecutor;
    private final Map<String, String> environment = new LinkedHashMap<>();

    private BenchDatabase database;
    private volatile BenchWorkspace workspace;

    public ExecutionsScenario(Args args) {
        args.requireKnown(OPTIONS);
        this.args = args;
        this.parameters = parameters(args);
        this.httpExecutor = args.string("http-executor", "direct");
        if (!httpExecutor.equals("direct") && !httpExecutor.equals("pool")) {
            throw new IllegalArgumentException("--http-executor must be direct or pool, got '" + httpExecutor + "'");
        }
    }

    static ExecutionsReport.Parameters parameters(Args args) {
        return new ExecutionsReport.Parameters(
                args.integer("executions", 300, 1),
                args.integer("task-runs", 5, 0),
                args.integer("clients", 8, 1),
                args.integer("warmup", 300, 0),
                args.integer("rounds", 1, 1),
                args.integer("lag-sample-every", 5, 0));
    }

    /** Runs the scenario, prints its one JSON line on {@code out}, returns the process exit status. */
    public int run(PrintStream out) {
        environment.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        environment.put("java", System.getProperty("java.version"));
        Thread hook = new Thread(this::cleanup, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        long failedCommands = 0;
        List<String> errorSamples = List.of();
        try {
            List<RoundResult> rounds = new ArrayList<>();
            Failure failure = measure(rounds);
            if (failure == null) {
                ObjectNode line = ExecutionsReport.build(parameters, rounds, environment);
                out.println(JsonLine.format(line));
                out.flush();
                boolean met = line.get("targets").get("all_met").asBoolean();
                Log.info("targets %s", met ? "met" : "NOT met: " + line.get("targets"));
                return met || !args.flag("require-targets") ? 0 : 3;
            }
            failedCommands = failure.errors;
            errorSamples = failure.samples;
            throw new IllegalStateException(failure.message);
        } catch (Exception e) {
            keep();
            Log.info("FAILED: %s", e.getMessage() == null ? e.toString() : e.getMessage());
            if (!(e instanceof IllegalStateException)) {
                e.printStackTrace(System.err);
            }
            out.println(JsonLine.format(ExecutionsReport.failure(parameters, String.valueOf(e.getMessage()),
                    failedCommands, errorSamples, environment)));
            out.flush();
            return 1;
        } finally {
            cleanup();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    private record Failure(String message, long errors, List<String> samples) {
    }

    private Failure measure(List<RoundResult> rounds) throws Exception {
        OspreyJars jars = OspreyJars.locate(args);
        String tenant = args.string("tenant", "main");
        Duration startupTimeout = Duration.ofSeconds(args.integer("startup-timeout", 240, 1));

        workspace = BenchWorkspace.create("osprey-bench-", args.flag("keep-workdir"));
        Path workDir = workspace.dir();
        database = workspace.track(BenchDatabase.create(args));
        Log.info("bench pid %d: created database %s (%s); work directory %s", ProcessHandle.current().pid(),
                database.name(), database.url(), workDir);
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
            rs.next();
            environment.put("postgresql", rs.getString(1));
        }

        List<String> jvmOptions = Arrays.stream(args.string("jvm-opts", "-Xmx512m").trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList();
        List<String> appArgs = new ArrayList<>(database.springArgs());
        appArgs.addAll(args.all("child-arg"));

        HttpClient.Builder httpBuilder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (httpExecutor.equals("direct")) {
            // run the client's completion stages on its selector thread instead of handing every reply to a
            // pool thread: same protocol, ~25 % less client CPU on the shared cores
            httpBuilder.executor(Runnable::run);
        }
        HttpClient http = httpBuilder.build();

        ChildProcess commandSide = ChildProcess.start("command-side", jars.commandSide(), jvmOptions, appArgs, workDir);
        workspace.track(commandSide);
        if (!args.flag("parallel-start")) {
            commandSide.awaitHealthy(http, startupTimeout);
        }
        ChildProcess querySide = ChildProcess.start("query-side", jars.querySide(), jvmOptions, appArgs, workDir);
        workspace.track(querySide);
        if (args.flag("parallel-start")) {
            commandSide.awaitHealthy(http, startupTimeout);
        }
        querySide.awaitHealthy(http, startupTimeout);

        LagProbe probe = new LagProbe(querySide.baseUri(), tenant, args.integer("lag-threads", 2, 1), 64,
                Duration.ofSeconds(30));
        workspace.track(probe);
        CommandApi api = new CommandApi(http, commandSide.baseUri(), tenant);
        ExecutionLoad load = new ExecutionLoad(api, parameters.taskRuns(), parameters.clients(), probe,
                parameters.lagSampleEvery());
        RawBaseline raw = new RawBaseline(database);
        Map<String, ProcessHandle> children = new LinkedHashMap<>();
        children.put("command_side", commandSide.handle());
        children.put("query_side", querySide.handle());

        int index = 0;
        List<ExecutionTrace> warmupTraces = List.of();
        if (parameters.warmup() > 0) {
            ExecutionLoad.PhaseResult warmup = load.run("warm-up", parameters.warmup(), index);
            index += parameters.warmup();
            Failure failure = check("warm-up", warmup, commandSide, querySide);
            if (failure != null) {
                return failure;
            }
            probe.awaitIdle(Duration.ofSeconds(60));
            LagProbe.LagStats lag = probe.drain();
            Log.info("warm-up visibility lag (discarded): p50 %.2f ms, p99 %.2f ms over %d samples, %d timeouts, "
                    + "%d errors", lag.summary().p50(), lag.summary().p99(), lag.samples(), lag.timeouts(),
                    lag.errors());
            warmupTraces = warmup.traces();
        }

        raw.createTable();
        long readUpTo = 0;
        for (int round = 1; round <= parameters.rounds(); round++) {
            String phase = parameters.rounds() == 1 ? "measure" : "round " + round + "/" + parameters.rounds();
            CpuUsage.Snapshot cpuBefore = CpuUsage.snapshot(children);
            ExecutionLoad.PhaseResult result = load.run(phase, parameters.executions(), index);
            Map<String, Double> cpu = CpuUsage.between(cpuBefore, CpuUsage.snapshot(children));
            index += parameters.executions();
            Failure failure = check(phase, result, commandSide, querySide);
            if (failure != null) {
                return failure;
            }
            probe.awaitIdle(Duration.ofSeconds(60));
            LagProbe.LagStats lag = probe.drain();
            Log.info("%s: visibility lag p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d samples, %d timeouts, "
                            + "%d errors%s", phase, lag.summary().p50(), lag.summary().p99(), lag.summary().max(),
                    lag.samples(), lag.timeouts(), lag.errors(),
                    lag.lastError() == null ? "" : " (last: " + lag.lastError() + ")");

            List<RawBaseline.EventRow> rows = raw.readRows(readUpTo);
            if (!rows.isEmpty()) {
                readUpTo = rows.get(rows.size() - 1).globalIndex();
            }
            List<ExecutionTrace> traces = new ArrayList<>(warmupTraces);
            traces.addAll(result.traces());
            RawBaseline.Grouping grouping = RawBaseline.group(rows, traces);
            int warmupCount = warmupTraces.size();
            List<RawBaseline.RawExecution> warmupRaw = grouping.executions().subList(0, warmupCount);
            List<RawBaseline.RawExecution> measuredRaw =
                    grouping.executions().subList(warmupCount, grouping.executions().size());
            Log.info("raw baseline: %d event rows read, %d commands matched, %d unmatched rows, %d commands "
                            + "without rows", rows.size(), grouping.commands(), grouping.unmatchedRows(),
                    grouping.commandsWithoutRows());
            if (measuredRaw.stream().allMatch(e -> e.commands().isEmpty())) {
                throw new IllegalStateException("raw baseline: no event rows of the measured commands were found "
                        + "in the event table (do replies carry Osprey-Position = global_index of the last event?)");
            }
            if (!warmupRaw.isEmpty()) {
                raw.insert("warm-up", warmupRaw, parameters.clients());
            }
            warmupTraces = List.of();
            CpuUsage.Snapshot baselineCpuBefore = CpuUsage.snapshot(Map.of());
            RawBaseline.Result baseline = raw.insert(phase, measuredRaw, parameters.clients());
            Map<String, Double> baselineCpu = CpuUsage.between(baselineCpuBefore, CpuUsage.snapshot(Map.of()));
            if (baseline.errors() > 0) {
                throw new IllegalStateException("raw baseline: " + baseline.errors() + " failed transactions");
            }
            rounds.add(new RoundResult(result.commands(), result.seconds(),
                    LatencySummary.of(result.latencyMicros()), lag, baseline.commands(), baseline.rows(),
                    baseline.seconds(), LatencySummary.of(baseline.latencyMicros()), grouping.unmatchedRows(),
                    cpu, baselineCpu));
        }
        return null;
    }

    private Failure check(String phase, ExecutionLoad.PhaseResult result, ChildProcess commandSide,
                          ChildProcess querySide) {
        for (ChildProcess child : List.of(commandSide, querySide)) {
            if (!child.isAlive()) {
                return new Failure(child.name() + " died during " + phase + "; last lines of " + child.log() + ":\n"
                        + child.tail(40), result.errors(), result.errorSamples());
            }
        }
        if (result.errors() > 0) {
            Log.info("%s: %d commands failed; first: %s", phase, result.errors(), result.errorSamples());
            Log.info("last lines of %s:\n%s", commandSide.log(), commandSide.tail(40));
            return new Failure(phase + ": " + result.errors() + " commands failed (every reply must be 2xx); first: "
                    + (result.errorSamples().isEmpty() ? "?" : result.errorSamples().get(0)),
                    result.errors(), result.errorSamples());
        }
        if (result.missingPositions() > 0) {
            Log.info("%s: %d replies carried no Osprey-Position header nor body position", phase,
                    result.missingPositions());
        }
        return null;
    }

    private void cleanup() {
        if (workspace != null) {
            workspace.close();
        }
    }

    private void keep() {
        if (workspace != null) {
            workspace.keep();
        }
    }
}
