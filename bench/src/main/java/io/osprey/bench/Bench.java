package io.osprey.bench;

import io.osprey.bench.blob.BlobsScenario;
import io.osprey.bench.execution.ExecutionsScenario;
import io.osprey.bench.log.LogsFollowScenario;
import io.osprey.bench.log.LogsIngestScenario;
import io.osprey.bench.log.LogsSearchScenario;
import io.osprey.bench.support.Args;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

/**
 * Osprey benchmarks. {@code java -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar <scenario> [options]} prints
 * exactly one JSON line per scenario on stdout; progress and diagnostics go to stderr.
 *
 * <p>Exit status: 0 done, 1 the scenario failed (errors, a process did not start...), 2 bad usage,
 * 3 targets missed with {@code --require-targets}.
 */
public final class Bench {

    static final String USAGE = """
            usage: bench/run <scenario> [options]     (or java -jar bench/target/bench-0.1.0-SNAPSHOT-exec.jar ...)
            Prints one JSON line per scenario on stdout; progress on stderr.

            scenarios:
            """ + ExecutionsScenario.USAGE + BlobsScenario.USAGE + LogsIngestScenario.USAGE + LogsSearchScenario.USAGE
            + LogsFollowScenario.USAGE;

    private Bench() {
    }

    public static void main(String[] argv) {
        int status = run(argv, System.out, System.err);
        System.exit(status);
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args;
        try {
            Set<String> flags = new HashSet<>(ExecutionsScenario.FLAGS);
            flags.addAll(BlobsScenario.FLAGS);
            flags.addAll(LogsIngestScenario.FLAGS);
            flags.addAll(LogsSearchScenario.FLAGS);
            flags.addAll(LogsFollowScenario.FLAGS);
            args = Args.parse(argv, flags);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        String scenario = args.scenario();
        if (scenario == null || scenario.equals("help") || args.flag("help")) {
            err.print(USAGE);
            return scenario == null && !args.has("help") ? 2 : 0;
        }
        if (args.positionals().size() > 1) {
            err.println("bench: one scenario per run; unexpected arguments " + args.positionals().subList(1,
                    args.positionals().size()));
            return 2;
        }
        try {
            switch (scenario) {
                case "executions":
                    return new ExecutionsScenario(args).run(out);
                case "blobs":
                    return new BlobsScenario(args).run(out);
                case "logs-ingest":
                    return new LogsIngestScenario(args).run(out);
                case "logs-search":
                    return new LogsSearchScenario(args).run(out);
                case "logs-follow":
                    return new LogsFollowScenario(args).run(out);
                default:
                    err.println("bench: unknown scenario '" + scenario + "'");
                    err.print(USAGE);
                    return 2;
            }
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
    }
}
