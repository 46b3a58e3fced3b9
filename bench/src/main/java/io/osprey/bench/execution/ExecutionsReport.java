package io.osprey.bench.execution;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.LatencySummary;
import io.osprey.bench.support.Stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Builds the JSON line of the executions scenario. With several rounds every figure is the median of the
 * rounds' figures; {@code ratio_to_baseline} is median Osprey commands/s divided by median baseline commands/s.
 */
final class ExecutionsReport {

    static final String SCENARIO = "executions";
    static final double RATIO_MIN = 0.5;
    static final double LATENCY_P99_MAX_MS = 20;
    static final double LAG_P99_MAX_MS = 200;

    record Parameters(int executions, int taskRuns, int clients, int warmup, int rounds, int lagSampleEvery) {
    }

    private ExecutionsReport() {
    }

    static ObjectNode parameters(Parameters p) {
        ObjectNode node = JsonLine.object();
        node.put("executions", p.executions());
        node.put("task_runs", p.taskRuns());
        node.put("clients", p.clients());
        node.put("warmup", p.warmup());
        node.put("rounds", p.rounds());
        node.put("lag_sample_every", p.lagSampleEvery());
        node.put("commands_per_execution", ExecutionLoad.commandsPerExecution(p.taskRuns()));
        return node;
    }

    static ObjectNode build(Parameters p, List<RoundResult> rounds, Map<String, String> environment) {
        ObjectNode line = JsonLine.object();
        line.put("scenario", SCENARIO);
        line.set("parameters", parameters(p));

        JsonLine.put(line, "commands", median(rounds, r -> r.commands()));
        JsonLine.put(line, "seconds", median(rounds, RoundResult::seconds));
        double commandsPerSecond = median(rounds, RoundResult::commandsPerSecond);
        JsonLine.put(line, "commands_per_s", commandsPerSecond);

        ObjectNode latency = JsonLine.object();
        JsonLine.put(latency, "p50", median(rounds, r -> r.latency().p50()));
        JsonLine.put(latency, "p90", median(rounds, r -> r.latency().p90()));
        double latencyP99 = median(rounds, r -> r.latency().p99());
        JsonLine.put(latency, "p99", latencyP99);
        JsonLine.put(latency, "max", median(rounds, r -> r.latency().max()));
        line.set("latency_ms", latency);

        ObjectNode lag = JsonLine.object();
        JsonLine.put(lag, "p50", medianOfSampled(rounds, r -> r.lag().summary().p50()));
        double lagP99 = medianOfSampled(rounds, r -> r.lag().summary().p99());
        JsonLine.put(lag, "p99", lagP99);
        JsonLine.put(lag, "max", medianOfSampled(rounds, r -> r.lag().summary().max()));
        long samples = rounds.stream().mapToLong(r -> r.lag().samples()).sum();
        long lagTimeouts = rounds.stream().mapToLong(r -> r.lag().timeouts()).sum();
        long lagErrors = rounds.stream().mapToLong(r -> r.lag().errors()).sum();
        lag.put("samples", samples);
        lag.put("timeouts", lagTimeouts);
        lag.put("errors", lagErrors);
        line.set("visibility_lag_ms", lag);

        ObjectNode baseline = JsonLine.object();
        baseline.put("method", "plain JDBC INSERT of the same event rows into raw_event_entry (shaped like "
                + "domain_event_entry), one transaction per command, " + p.clients() + " threads, one connection each");
        JsonLine.put(baseline, "commands", median(rounds, r -> r.baselineCommands()));
        JsonLine.put(baseline, "rows", median(rounds, r -> r.baselineRows()));
        JsonLine.put(baseline, "seconds", median(rounds, RoundResult::baselineSeconds));
        double baselinePerSecond = median(rounds, RoundResult::baselineCommandsPerSecond);
        JsonLine.put(baseline, "commands_per_s", baselinePerSecond);
        ObjectNode baselineLatency = JsonLine.object();
        JsonLine.put(baselineLatency, "p50", median(rounds, r -> r.baselineLatency().p50()));
        JsonLine.put(baselineLatency, "p99", median(rounds, r -> r.baselineLatency().p99()));
        baseline.set("latency_ms", baselineLatency);
        long unmatched = rounds.stream().mapToLong(RoundResult::unmatchedRows).sum();
        baseline.put("unmatched_rows", unmatched);
        line.set("baseline", baseline);

        double ratio = Stats.ratio(commandsPerSecond, baselinePerSecond);
        JsonLine.put(line, "ratio_to_baseline", ratio);

        boolean throughputMet = !Double.isNaN(ratio) && ratio >= RATIO_MIN;
        boolean latencyMet = !Double.isNaN(latencyP99) && latencyP99 <= LATENCY_P99_MAX_MS;
        boolean lagMet = samples > 0 && lagErrors == 0 && !Double.isNaN(lagP99) && lagP99 <= LAG_P99_MAX_MS;
        ObjectNode targets = JsonLine.object();
        JsonLine.put(targets, "ratio_to_baseline_min", RATIO_MIN);
        JsonLine.put(targets, "latency_p99_ms_max", LATENCY_P99_MAX_MS);
        JsonLine.put(targets, "visibility_lag_p99_ms_max", LAG_P99_MAX_MS);
        targets.put("commands_per_s_met", throughputMet);
        targets.put("latency_p99_met", latencyMet);
        targets.put("visibility_lag_p99_met", lagMet);
        targets.put("all_met", throughputMet && latencyMet && lagMet);
        line.set("targets", targets);

        ObjectNode cpu = line.putObject("cpu_s");
        cpu.set("osprey", medianMap(rounds, RoundResult::cpuSeconds));
        cpu.set("baseline", medianMap(rounds, RoundResult::baselineCpuSeconds));

        ArrayNode perRound = line.putArray("rounds");
        for (RoundResult r : rounds) {
            ObjectNode node = perRound.addObject();
            JsonLine.put(node, "commands_per_s", r.commandsPerSecond());
            JsonLine.put(node, "latency_p50_ms", r.latency().p50());
            JsonLine.put(node, "latency_p99_ms", r.latency().p99());
            JsonLine.put(node, "visibility_lag_p50_ms", r.lag().samples() > 0 ? r.lag().summary().p50() : Double.NaN);
            JsonLine.put(node, "visibility_lag_p99_ms", r.lag().samples() > 0 ? r.lag().summary().p99() : Double.NaN);
            JsonLine.put(node, "baseline_commands_per_s", r.baselineCommandsPerSecond());
            JsonLine.put(node, "baseline_latency_p99_ms", r.baselineLatency().p99());
            JsonLine.put(node, "ratio_to_baseline", r.ratioToBaseline());
        }

        ObjectNode env = line.putObject("environment");
        environment.forEach(env::put);
        line.put("ok", true);
        line.put("errors", 0);
        return line;
    }

    /** The line printed when the scenario could not complete: still one valid JSON line, ok=false. */
    static ObjectNode failure(Parameters p, String error, long errors, List<String> errorSamples,
                              Map<String, String> environment) {
        ObjectNode line = JsonLine.object();
        line.put("scenario", SCENARIO);
        line.set("parameters", parameters(p));
        line.put("ok", false);
        line.put("errors", errors);
        line.put("error", error);
        ArrayNode samples = line.putArray("error_samples");
        errorSamples.forEach(samples::add);
        ObjectNode env = line.putObject("environment");
        environment.forEach(env::put);
        return line;
    }

    /** Per key, the median over the rounds that have it. */
    private static ObjectNode medianMap(List<RoundResult> rounds, Function<RoundResult, Map<String, Double>> metric) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (RoundResult r : rounds) {
            Map<String, Double> m = metric.apply(r);
            if (m != null) {
                m.forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            }
        }
        ObjectNode node = JsonLine.object();
        values.forEach((k, v) -> JsonLine.put(node, k, Stats.median(v)));
        return node;
    }

    private static double median(List<RoundResult> rounds, ToDoubleFunction<RoundResult> metric) {
        return Stats.median(rounds.stream().mapToDouble(metric).boxed().toList());
    }

    private static double medianOfSampled(List<RoundResult> rounds, ToDoubleFunction<RoundResult> metric) {
        return Stats.median(rounds.stream().filter(r -> r.lag().samples() > 0).mapToDouble(metric).boxed().toList());
    }

    static LatencySummary empty() {
        return new LatencySummary(0, 0, 0, 0, 0);
    }
}
