package io.osprey.bench.blob;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.Args;
import io.osprey.bench.support.BenchDatabase;
import io.osprey.bench.support.BenchWorkspace;
import io.osprey.bench.support.ChildProcess;
import io.osprey.bench.support.CpuUsage;
import io.osprey.bench.support.JitWarmup;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.Log;
import io.osprey.bench.support.OspreyJars;
import io.osprey.bench.support.Stats;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Scenario {@code blobs}: namespace files through Osprey (command-side upload, query-side download) on an S3
 * store (S3Proxy), many small files with K clients and one large file with the servers' heap capped, against
 * plain minio-java on the same S3Proxy in the same run. Downloads are measured twice: streamed by the query side,
 * and redirected to the store by a second query side with {@code osprey.blob.s3.direct-downloads}. See {@link #USAGE}.
 */
public final class BlobsScenario {

    public static final String USAGE = """
            blobs [options]
              --files N             small files uploaded, then downloaded (default 1000)
              --file-kb S           size of each small file in KiB (default 1024)
              --clients K           concurrent clients for the small files, Osprey and raw alike (default 8)
              --warmup W            small files uploaded and downloaded first, unmeasured, Osprey and raw alike
                                    (default 400); again and again until the JIT compilers of the servers, S3Proxy
                                    and the bench took under 5 % of two such rounds in a row
              --warmup-limit S      seconds the warm-up may go on for that (default 300)
              --large-mb L          size of the large file in MiB (default 256; 1024 for a 1 GB run)
              --server-heap OPT     heap option of command-side and query-side (default -Xmx256m)
              --part-mb P           S3 multipart part size in MiB, Osprey and raw alike (default 16)
              --tenant T            tenant in the API paths (default main)
              --repo DIR            repository root (default: found from the bench jar or working directory)
              --command-jar FILE    default <repo>/command-side/target/command-side-0.1.0-SNAPSHOT-exec.jar
              --query-jar FILE      default <repo>/query-side/target/query-side-0.1.0-SNAPSHOT-exec.jar
              --s3proxy-jar FILE    default <repo>/bench/target/s3proxy/s3proxy.jar (copied there by the build)
              --pg-url URL          admin JDBC URL (env OSPREY_BENCH_PG_URL, default jdbc:postgresql://127.0.0.1:5432/postgres)
              --pg-user USER        (env OSPREY_BENCH_PG_USER, default postgres)
              --pg-password PW      (env OSPREY_BENCH_PG_PASSWORD, default none)
              --child-arg ARG       extra argument for both Osprey child processes (repeatable)
              --startup-timeout S   seconds to wait for each child to report UP (default 240)
              --keep-workdir        keep the working directory (S3Proxy data, logs) even on success
              --require-targets     exit with status 3 when a target is missed
            """;

    private static final Set<String> OPTIONS = Set.of("files", "file-kb", "clients", "warmup", "warmup-limit",
            "large-mb", "server-heap",
            "part-mb", "tenant", "repo", "command-jar", "query-jar", "s3proxy-jar", "pg-url", "pg-user", "pg-password",
            "child-arg", "startup-timeout", "keep-workdir", "require-targets", "help");
    public static final Set<String> FLAGS = Set.of("keep-workdir", "require-targets", "help");

    /**
     * The large file is downloaded this many times in a row (one at a time), Osprey and raw alike: one download takes
     * well under a second, where another process' JIT or GC moved a single figure by half.
     */
    static final int LARGE_DOWNLOADS = 3;
    /** Osprey's MB/s over the raw client's, for each transfer, must reach this. */
    static final double RATIO_TARGET = 0.9;
    private static final String NAMESPACE = "bench.blobs";

    private final Args args;
    private final int files;
    private final int fileBytes;
    private final int clients;
    private final int warmup;
    private final Duration warmupLimit;
    private final long largeBytes;
    private final String serverHeap;
    private final long partSize;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private BenchDatabase database;
    private volatile BenchWorkspace workspace;

    public BlobsScenario(Args args) {
        args.requireKnown(OPTIONS);
        this.args = args;
        this.files = args.integer("files", 1000, 1);
        this.fileBytes = Math.multiplyExact(args.integer("file-kb", 1024, 1), 1024);
        this.clients = args.integer("clients", 8, 1);
        this.warmup = args.integer("warmup", 400, 1);
        this.warmupLimit = Duration.ofSeconds(args.integer("warmup-limit", 300, 0));
        this.largeBytes = args.integer("large-mb", 256, 1) * 1024L * 1024L;
        this.serverHeap = args.string("server-heap", "-Xmx256m");
        this.partSize = args.integer("part-mb", 16, 5) * 1024L * 1024L;
    }

    /**
     * Runs {@code sync} before an upload phase, unmeasured: the kernel writes back what earlier phases (and the warm-up)
     * left in the page cache now, not in the middle of the next phase, Osprey's or raw.
     */
    private static void writeBackDirtyPages() throws IOException, InterruptedException {
        Process sync = new ProcessBuilder("sync").redirectErrorStream(true).start();
        if (!sync.waitFor(5, TimeUnit.MINUTES)) {
            sync.destroy();
            Log.info("sync did not finish within 5 minutes; measuring anyway");
        }
    }

    private ObjectNode parameters() {
        ObjectNode node = JsonLine.object();
        node.put("files", files);
        node.put("file_bytes", fileBytes);
        node.put("clients", clients);
        node.put("warmup", warmup);
        node.put("warmup_limit_s", warmupLimit.toSeconds());
        node.put("large_bytes", largeBytes);
        node.put("server_heap", serverHeap);
        node.put("part_bytes", partSize);
        node.put("store", "s3 (S3Proxy filesystem backend)");
        return node;
    }

    /** Runs the scenario, prints its one JSON line on {@code out}, returns the process exit status. */
    public int run(PrintStream out) {
        environment.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        environment.put("java", System.getProperty("java.version"));
        Thread hook = new Thread(this::cleanup, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ObjectNode line = measure();
            out.println(JsonLine.format(line));
            out.flush();
            boolean ok = line.get("ok").asBoolean();
            boolean met = line.get("targets").get("all_met").asBoolean();
            Log.info("targets %s", met ? "met" : "NOT met: " + line.get("targets"));
            if (!ok) {
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
            ObjectNode line = JsonLine.object();
            line.put("scenario", "blobs");
            line.set("parameters", parameters());
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

    private ObjectNode measure() throws Exception {
        OspreyJars jars = OspreyJars.locate(args);
        Path s3proxyJar = Path.of(args.string("s3proxy-jar", jars.repo().resolve("bench/target/s3proxy/s3proxy.jar").toString()));
        jars.requireBuilt(s3proxyJar);
        String tenant = args.string("tenant", "main");
        Duration startupTimeout = Duration.ofSeconds(args.integer("startup-timeout", 240, 1));

        workspace = BenchWorkspace.create("osprey-bench-blobs-", args.flag("keep-workdir"));
        Path workDir = workspace.dir();
        S3Proxy s3 = S3Proxy.start(s3proxyJar, workDir, List.of("-Xmx512m"));
        workspace.track(s3);
        database = workspace.track(BenchDatabase.create(args));
        Log.info("bench pid %d: created database %s; S3Proxy at %s; work directory %s", ProcessHandle.current().pid(),
                database.name(), s3.endpoint(), workDir);

        List<String> jvmOptions = Arrays.stream(serverHeap.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        List<String> appArgs = new ArrayList<>(database.springArgs());
        appArgs.addAll(List.of(
                "--osprey.blob.type=s3",
                "--osprey.blob.s3.endpoint=" + s3.endpoint(),
                "--osprey.blob.s3.bucket=osprey-bench",
                "--osprey.blob.s3.access-key=" + S3Proxy.IDENTITY,
                "--osprey.blob.s3.secret-key=" + S3Proxy.CREDENTIAL,
                "--osprey.blob.s3.part-size=" + partSize,
                "--osprey.files.max-file-size=" + (Math.max(largeBytes, fileBytes) + 1024 * 1024) + "B",
                "--osprey.files.max-request-size=" + (Math.max(largeBytes, fileBytes) + 2 * 1024 * 1024) + "B",
                "--management.endpoints.web.exposure.include=health,metrics"));
        appArgs.addAll(args.all("child-arg"));

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ChildProcess commandSide = ChildProcess.start("command-side", jars.commandSide(), jvmOptions, appArgs, workDir);
        workspace.track(commandSide);
        ChildProcess querySide = ChildProcess.start("query-side", jars.querySide(), jvmOptions, appArgs, workDir);
        workspace.track(querySide);
        List<String> directArgs = new ArrayList<>(appArgs);
        directArgs.add("--osprey.blob.s3.direct-downloads.enabled=true");
        ChildProcess directQuerySide = ChildProcess.start("query-side-direct", jars.querySide(), jvmOptions, directArgs, workDir);
        workspace.track(directQuerySide);
        commandSide.awaitHealthy(http, startupTimeout);
        querySide.awaitHealthy(http, startupTimeout);
        directQuerySide.awaitHealthy(http, startupTimeout);

        Transfers osprey = new Transfers(http, commandSide.baseUri(), querySide.baseUri(), tenant, NAMESPACE, clients);
        // its downloads are 307s to S3Proxy, which the bench's HTTP client follows as any browser would
        Transfers direct = new Transfers(http, commandSide.baseUri(), directQuerySide.baseUri(), tenant, NAMESPACE, clients);
        RawS3 raw = new RawS3(s3.endpoint(), "raw-bench", partSize);
        workspace.track(raw);
        byte[] content = Payload.bytes(fileBytes, 1);
        byte[] multipart = Transfers.multipart(content);

        Map<String, ProcessHandle> processes = new LinkedHashMap<>();
        processes.put("command_side", commandSide.handle());
        processes.put("query_side", querySide.handle());
        processes.put("query_side_direct", directQuerySide.handle());
        processes.put("s3proxy", s3.handle());
        Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();

        // warm-up, not measured: pools, the first events, and the JIT of five JVMs on two cores (after 400 files
        // the servers' and S3Proxy's C2 still took a third of their CPU in the measured phase); the same paths each
        // round, so that raw overwrites and Osprey adds revisions
        Map<String, ProcessHandle> jvms = new LinkedHashMap<>(processes);
        jvms.put("bench", ProcessHandle.current());
        JitWarmup.Result warmedUp = JitWarmup.run("warm-up files", jvms, warmupLimit, round -> {
            Phase.run("warm-up osprey", warmup, clients, i -> osprey.upload("/warmup/" + i + ".bin", multipart, fileBytes));
            if (round == 0) {
                osprey.awaitQuerySide("/warmup/0.bin", Duration.ofSeconds(60));
            }
            Phase.run("warm-up osprey download", warmup, clients, i -> osprey.download("/warmup/" + i + ".bin", fileBytes));
            Phase.run("warm-up osprey direct download", warmup, clients, i -> direct.download("/warmup/" + i + ".bin", fileBytes));
            Phase.run("warm-up raw", warmup, clients, i -> raw.put("warmup/" + i + ".bin", content));
            Phase.run("warm-up raw download", warmup, clients, i -> raw.get("warmup/" + i + ".bin"));
            return warmup;
        });

        // small files: Osprey, then raw
        writeBackDirtyPages();
        Phase smallUp = timed(cpu, processes, "small upload osprey", files, clients,
                i -> osprey.upload("/small/" + i + ".bin", multipart, fileBytes));
        osprey.awaitQuerySide("/small/0.bin", Duration.ofSeconds(120));
        Phase smallDown = timed(cpu, processes, "small download osprey", files, clients,
                i -> osprey.download("/small/" + i + ".bin", fileBytes));
        Phase smallDirectDown = timed(cpu, processes, "small download osprey direct", files, clients,
                i -> direct.download("/small/" + i + ".bin", fileBytes));
        writeBackDirtyPages();
        Phase rawSmallUp = timed(cpu, processes, "small upload raw", files, clients,
                i -> raw.put("small/" + i + ".bin", content));
        Phase rawSmallDown = timed(cpu, processes, "small download raw", files, clients,
                i -> raw.get("small/" + i + ".bin"));

        // the large file, with the servers' heap watched
        long commandHeapMax = HeapProbe.heapMax(http, commandSide.baseUri());
        long queryHeapMax = HeapProbe.heapMax(http, querySide.baseUri());
        Phase largeUp;
        Phase largeDown;
        Phase largeDirectDown;
        long commandPeak;
        long queryPeak;
        try (HeapProbe commandHeap = new HeapProbe(commandSide.baseUri());
             HeapProbe queryHeap = new HeapProbe(querySide.baseUri())) {
            writeBackDirtyPages();
            largeUp = timed(cpu, processes, "large upload osprey", 1, 1,
                    i -> osprey.uploadStreamed("/large.bin", largeBytes, 7));
            osprey.awaitQuerySide("/large.bin", Duration.ofSeconds(120));
            largeDown = timed(cpu, processes, "large download osprey", LARGE_DOWNLOADS, 1,
                    i -> osprey.download("/large.bin", largeBytes));
            largeDirectDown = timed(cpu, processes, "large download osprey direct", LARGE_DOWNLOADS, 1,
                    i -> direct.download("/large.bin", largeBytes));
            commandPeak = commandHeap.peakBytes();
            queryPeak = queryHeap.peakBytes();
            Log.info("peak heap used: command-side %.1f MB (%d samples), query-side %.1f MB (%d samples)",
                    commandPeak / 1048576.0, commandHeap.samples(), queryPeak / 1048576.0, queryHeap.samples());
        }
        writeBackDirtyPages();
        Phase rawLargeUp = timed(cpu, processes, "large upload raw", 1, 1,
                i -> raw.put("large.bin", new Payload(largeBytes, 7), largeBytes));
        Phase rawLargeDown = timed(cpu, processes, "large download raw", LARGE_DOWNLOADS, 1, i -> raw.get("large.bin"));

        boolean alive = commandSide.isAlive() && querySide.isAlive() && directQuerySide.isAlive();
        List<Phase> phases = List.of(smallUp, smallDown, smallDirectDown, rawSmallUp, rawSmallDown, largeUp, largeDown,
                largeDirectDown, rawLargeUp, rawLargeDown);
        long errors = phases.stream().mapToLong(Phase::errors).sum();
        List<String> errorSamples = phases.stream().flatMap(p -> p.errorSamples().stream()).limit(5).toList();

        ObjectNode line = JsonLine.object();
        line.put("scenario", "blobs");
        line.set("parameters", parameters());
        line.set("warmup", warmedUp.json("files", warmup + " small files uploaded to Osprey, downloaded from both"
                + " query sides, put and got with plain minio-java, on the same paths every round"));
        ObjectNode small = JsonLine.object();
        small.set("upload", smallUp.json());
        small.set("download", smallDown.json());
        small.set("download_direct", smallDirectDown.json());
        line.set("small", small);
        ObjectNode large = JsonLine.object();
        large.set("upload", largeUp.json());
        large.set("download", largeDown.json());
        large.set("download_direct", largeDirectDown.json());
        line.set("large", large);
        ObjectNode heap = JsonLine.object();
        JsonLine.put(heap, "command_side_peak_mb", commandPeak / 1048576.0);
        JsonLine.put(heap, "query_side_peak_mb", queryPeak / 1048576.0);
        JsonLine.put(heap, "command_side_max_mb", commandHeapMax / 1048576.0);
        JsonLine.put(heap, "query_side_max_mb", queryHeapMax / 1048576.0);
        heap.put("measured", "max of /actuator/metrics/jvm.memory.used?tag=area:heap polled every 100 ms during the large upload and download");
        line.set("server_heap", heap);
        ObjectNode baseline = JsonLine.object();
        baseline.put("method", "plain minio-java " + io.minio.MinioClient.class.getPackage().getImplementationVersion()
                + " putObject (known size, same part size and CRC32 part checksum) / getObject read to the end, same S3Proxy, same sizes and concurrency");
        ObjectNode rawSmall = JsonLine.object();
        rawSmall.set("upload", rawSmallUp.json());
        rawSmall.set("download", rawSmallDown.json());
        baseline.set("small", rawSmall);
        ObjectNode rawLarge = JsonLine.object();
        rawLarge.set("upload", rawLargeUp.json());
        rawLarge.set("download", rawLargeDown.json());
        baseline.set("large", rawLarge);
        line.set("baseline", baseline);
        ObjectNode ratios = JsonLine.object();
        double[] values = {
                Stats.ratio(smallUp.megabytesPerSecond(), rawSmallUp.megabytesPerSecond()),
                Stats.ratio(smallDown.megabytesPerSecond(), rawSmallDown.megabytesPerSecond()),
                Stats.ratio(largeUp.megabytesPerSecond(), rawLargeUp.megabytesPerSecond()),
                Stats.ratio(largeDown.megabytesPerSecond(), rawLargeDown.megabytesPerSecond()),
                Stats.ratio(smallDirectDown.megabytesPerSecond(), rawSmallDown.megabytesPerSecond()),
                Stats.ratio(largeDirectDown.megabytesPerSecond(), rawLargeDown.megabytesPerSecond())};
        String[] names = {"small_upload", "small_download", "large_upload", "large_download", "small_download_direct",
                "large_download_direct"};
        ObjectNode targets = JsonLine.object();
        JsonLine.put(targets, "ratio_to_baseline_min", RATIO_TARGET);
        Map<String, Boolean> met = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            JsonLine.put(ratios, names[i], values[i]);
            met.put(names[i], values[i] >= RATIO_TARGET);
            targets.put(names[i] + "_met", met.get(names[i]));
        }
        boolean uploadsMet = met.get("small_upload") && met.get("large_upload");
        boolean allMet = uploadsMet && met.get("small_download") && met.get("large_download");
        targets.put("all_met", allMet);
        targets.put("all_met_with_direct_downloads", uploadsMet && met.get("small_download_direct")
                && met.get("large_download_direct"));
        line.set("ratio_to_baseline", ratios);
        line.set("targets", targets);
        ObjectNode cpuNode = JsonLine.object();
        cpu.forEach((phase, seconds) -> {
            ObjectNode node = cpuNode.putObject(phase.replace(' ', '_'));
            seconds.forEach((process, value) -> JsonLine.put(node, process, value));
        });
        cpuNode.put("measured", "CPU seconds of the bench JVM, each process (of which its JIT compiler threads, *_jit,"
                + " and its GC threads, *_gc) and the whole machine during each measured phase; divided by --files,"
                + " a small phase's figure is the CPU one transfer costs");
        line.set("cpu_s", cpuNode);
        line.set("environment", JsonLine.MAPPER.valueToTree(environment));
        line.put("ok", errors == 0 && alive);
        line.put("errors", errors);
        if (!errorSamples.isEmpty()) {
            line.set("error_samples", JsonLine.MAPPER.valueToTree(errorSamples));
        }
        if (!alive) {
            line.put("error", "a server died during the run; see " + commandSide.log() + ", " + querySide.log() + " and "
                    + directQuerySide.log());
        }
        return line;
    }

    /** Runs a phase and keeps, under its name, the CPU each process spent during it. */
    private static Phase timed(Map<String, Map<String, Double>> cpu, Map<String, ProcessHandle> processes, String name,
                               int count, int clients, Phase.Transfer transfer) throws InterruptedException {
        CpuUsage.Snapshot before = CpuUsage.snapshot(processes);
        Phase phase = Phase.run(name, count, clients, transfer);
        cpu.put(name, CpuUsage.between(before, CpuUsage.snapshot(processes)));
        return phase;
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
