package io.osprey.bench.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.Args;
import io.osprey.bench.support.BenchDatabase;
import io.osprey.bench.support.BenchWorkspace;
import io.osprey.bench.support.ChildProcess;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.Log;
import io.osprey.bench.support.OspreyJars;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * What the two log scenarios share: the options, a workspace with the bench database, command-side and query-side
 * started as child processes (the query side's Lucene index in the workspace), and the one-JSON-line run with
 * cleanup on success, failure or SIGTERM.
 */
final class LogRun {

    static final String COMMON_USAGE = """
              --clients K           concurrent clients loading lines, Osprey and PostgreSQL alike (default 4)
              --batch B             lines per ingest request, and per COPY of the logs-ingest baseline (default 1000)
              --format F            ingest body: ndjson (application/x-ndjson, default) or json (an array)
              --seed S              seed of the generated lines (default 42)
              --refresh-interval D  query side's --osprey.logs.index.refresh-interval (default 1s)
              --index-stall-timeout S  fail when the log index makes no progress for S seconds (default 120)
              --tenant T            tenant in the API paths (default main)
              --repo DIR            repository root (default: found from the bench jar or working directory)
              --command-jar FILE    default <repo>/command-side/target/command-side-0.1.0-SNAPSHOT-exec.jar
              --query-jar FILE      default <repo>/query-side/target/query-side-0.1.0-SNAPSHOT-exec.jar
              --pg-url URL          admin JDBC URL (env OSPREY_BENCH_PG_URL, default jdbc:postgresql://127.0.0.1:5432/postgres)
              --pg-user USER        (env OSPREY_BENCH_PG_USER, default postgres)
              --pg-password PW      (env OSPREY_BENCH_PG_PASSWORD, default none)
              --jvm-opts "OPTS"     JVM options of the two child processes (default "-Xmx512m")
              --child-arg ARG       extra argument for both child processes (repeatable)
              --startup-timeout S   seconds to wait for each child to report UP (default 240)
              --keep-workdir        keep the working directory (indexes, logs) even on success
              --require-targets     exit with status 3 when a target is missed
            """;
    static final Set<String> COMMON_OPTIONS = Set.of("clients", "batch", "format", "seed", "refresh-interval",
            "index-stall-timeout", "tenant", "repo", "command-jar", "query-jar", "pg-url", "pg-user", "pg-password",
            "jvm-opts", "child-arg", "startup-timeout", "keep-workdir", "require-targets", "help");
    static final Set<String> FLAGS = Set.of("keep-workdir", "require-targets", "help");

    final Args args;
    final int clients;
    final int batch;
    final long seed;
    final OspreyLogApi.Format format;
    final String refreshInterval;
    final Duration indexStall;
    final Map<String, String> environment = new LinkedHashMap<>();
    private volatile BenchWorkspace workspace;
    BenchDatabase database;
    ChildProcess commandSide;
    ChildProcess querySide;
    Path indexDir;
    OspreyLogApi api;

    LogRun(Args args, Set<String> scenarioOptions) {
        Set<String> known = new HashSet<>(COMMON_OPTIONS);
        known.addAll(scenarioOptions);
        args.requireKnown(known);
        this.args = args;
        this.clients = args.integer("clients", 4, 1);
        this.batch = args.integer("batch", 1000, 1);
        this.seed = seed(args.string("seed", "42"));
        this.format = OspreyLogApi.Format.parse(args.string("format", "ndjson"));
        this.refreshInterval = args.string("refresh-interval", "1s");
        this.indexStall = Duration.ofSeconds(args.integer("index-stall-timeout", 120, 1));
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --seed expects an integer, got '" + value + "'");
        }
    }

    /** Parameters every log scenario reports. */
    void commonParameters(ObjectNode node) {
        node.put("clients", clients);
        node.put("batch", batch);
        node.put("format", format.contentType);
        node.put("seed", seed);
        node.put("refresh_interval", refreshInterval);
    }

    /**
     * Runs the measurement (which builds the scenario's figures; the environment, ok and errors are added here), prints
     * the one JSON line on {@code out}, returns the process exit status.
     */
    int execute(String scenario, ObjectNode parameters, PrintStream out, Callable<ObjectNode> measurement) {
        environment.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        environment.put("java", System.getProperty("java.version"));
        Thread hook = new Thread(this::cleanup, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ObjectNode result = measurement.call();
            ObjectNode line = JsonLine.object();
            line.put("scenario", scenario);
            line.set("parameters", parameters);
            line.setAll(result);
            line.set("environment", JsonLine.MAPPER.valueToTree(environment));
            boolean alive = commandSide.isAlive() && querySide.isAlive();
            line.put("ok", alive);
            line.put("errors", 0);
            if (!alive) {
                line.put("error", "a server died during the run; see " + commandSide.log() + " and " + querySide.log());
            }
            out.println(JsonLine.format(line));
            out.flush();
            boolean met = line.path("targets").path("all_met").asBoolean();
            Log.info("targets %s", met ? "met" : "NOT met: " + line.get("targets"));
            if (!alive) {
                keep();
                return 1;
            }
            return met || !args.flag("require-targets") ? 0 : 3;
        } catch (Exception e) {
            keep();
            Log.info("FAILED: %s", e.getMessage() == null ? e.toString() : e.getMessage());
            if (!(e instanceof IllegalStateException)) {
                e.printStackTrace(System.err);
            }
            for (ChildProcess child : Stream.of(commandSide, querySide).filter(c -> c != null).toList()) {
                Log.info("last lines of %s:\n%s", child.log(), child.tail(30));
            }
            ObjectNode line = JsonLine.object();
            line.put("scenario", scenario);
            line.set("parameters", parameters);
            line.put("error", String.valueOf(e.getMessage()));
            line.set("environment", JsonLine.MAPPER.valueToTree(environment));
            line.put("ok", false);
            out.println(JsonLine.format(line));
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

    /** Creates the workspace and the database, starts command-side then query-side and waits until both are UP. */
    void startServers(String workspacePrefix) throws Exception {
        OspreyJars jars = OspreyJars.locate(args);
        Duration startupTimeout = Duration.ofSeconds(args.integer("startup-timeout", 240, 1));

        workspace = BenchWorkspace.create(workspacePrefix, args.flag("keep-workdir"));
        database = workspace.track(BenchDatabase.create(args));
        Log.info("bench pid %d: created database %s; work directory %s", ProcessHandle.current().pid(),
                database.name(), workspace.dir());
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
            rs.next();
            environment.put("postgresql", rs.getString(1));
        }

        indexDir = workspace.dir().resolve("osprey-logs-index");
        List<String> jvmOptions = Arrays.stream(args.string("jvm-opts", "-Xmx512m").trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList();
        List<String> appArgs = new ArrayList<>(database.springArgs());
        appArgs.addAll(List.of(
                "--osprey.logs.index.dir=" + indexDir,
                "--osprey.logs.index.refresh-interval=" + refreshInterval));
        appArgs.addAll(args.all("child-arg"));
        // the load clients' completion stages run on the selector thread (as in the executions scenario)
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Runnable::run).build();
        commandSide = workspace.track(ChildProcess.start("command-side", jars.commandSide(), jvmOptions, appArgs,
                workspace.dir()));
        commandSide.awaitHealthy(http, startupTimeout);
        querySide = workspace.track(ChildProcess.start("query-side", jars.querySide(), jvmOptions, appArgs, workspace.dir()));
        querySide.awaitHealthy(http, startupTimeout);
        api = new OspreyLogApi(http, commandSide.baseUri(), querySide.baseUri(), args.string("tenant", "main"), format);
    }

    /** Closes the resource with the workspace (before the database is dropped). */
    <T extends AutoCloseable> T track(T resource) {
        return workspace.track(resource);
    }

    Path workDir() {
        return workspace.dir();
    }

    /** The two child processes, named as the CPU report names them. */
    Map<String, ProcessHandle> children() {
        Map<String, ProcessHandle> children = new LinkedHashMap<>();
        children.put("command_side", commandSide.handle());
        children.put("query_side", querySide.handle());
        return children;
    }

    /** Fails if a child process died. */
    void requireAlive(String phase) {
        for (ChildProcess child : List.of(commandSide, querySide)) {
            if (!child.isAlive()) {
                throw new IllegalStateException(child.name() + " died during " + phase + "; last lines of "
                        + child.log() + ":\n" + child.tail(40));
            }
        }
    }

    /**
     * Bytes of the files under {@code dir} (0 when it does not exist); files that vanish while it is walked (an index
     * being written) are skipped.
     */
    static long directorySize(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long[] bytes = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                bytes[0] += attributes.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e == null || e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return bytes[0];
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
