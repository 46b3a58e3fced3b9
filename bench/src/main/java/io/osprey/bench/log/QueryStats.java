package io.osprey.bench.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.bench.support.CpuUsage;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.LatencySummary;
import io.osprey.bench.support.Stats;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Latencies of one kind of query on each engine ({@code osprey} first, the reference of the ratios), with what
 * they returned, how often an engine's answer disagreed with the expected one, which engines ran out of time, and
 * where the CPU went meanwhile.
 */
final class QueryStats {

    static final String REFERENCE = "osprey";
    /** Osprey's search time inside the query side (its Server-Timing header): the engine without HTTP. */
    static final String SERVER = "osprey_server";

    private static final class Engine {
        final Histogram latency = LatencySummary.newHistogram();
        long runs;
        long returned;
        long totals;
        long totalRuns;
        long disagreements;
    }

    private final Map<String, Engine> engines = new LinkedHashMap<>();
    private final Set<String> overBudget = new LinkedHashSet<>();
    private Map<String, Double> cpu = Map.of();

    void record(String engine, Hits hits, boolean agrees) {
        Engine e = engines.computeIfAbsent(engine, k -> new Engine());
        LatencySummary.recordNanos(e.latency, hits.nanos());
        e.runs++;
        e.returned += hits.returned();
        if (hits.total() >= 0) {
            e.totals += hits.total();
            e.totalRuns++;
        }
        if (!agrees) {
            e.disagreements++;
        }
    }

    /** CPU seconds spent while these queries ran (warm-up repetitions included), as {@link CpuUsage#between}. */
    void cpu(Map<String, Double> cpu) {
        this.cpu = cpu;
    }

    /** Notes that an engine ran out of its time budget; true the first time. */
    boolean overBudget(String engine) {
        return overBudget.add(engine);
    }

    LatencySummary summary(String engine) {
        Engine e = engines.get(engine);
        return e == null ? null : LatencySummary.of(e.latency);
    }

    /** p99 of {@code engine} over p99 of osprey; NaN when either was not measured. */
    double p99Ratio(String engine) {
        LatencySummary reference = summary(REFERENCE);
        LatencySummary other = summary(engine);
        return reference == null || other == null ? Double.NaN : Stats.ratio(other.p99(), reference.p99());
    }

    /**
     * One object per engine, then {@code ratios}: each other engine's p99 over osprey's through HTTP and, where
     * the query side reported it, over osprey's own search time (PostgreSQL is measured over JDBC, without HTTP).
     */
    ObjectNode json(List<String> compared) {
        ObjectNode node = JsonLine.object();
        engines.forEach((name, e) -> {
            ObjectNode engine = JsonLine.latency(LatencySummary.of(e.latency));
            engine.put("n", e.runs);
            JsonLine.put(engine, "avg_returned", (double) e.returned / e.runs);
            if (e.totalRuns > 0) {
                JsonLine.put(engine, "avg_total", (double) e.totals / e.totalRuns);
            }
            engine.put("disagreements", e.disagreements);
            node.set(name, engine);
        });
        if (!overBudget.isEmpty()) {
            node.set("over_budget", JsonLine.MAPPER.valueToTree(overBudget));
        }
        if (!cpu.isEmpty()) {
            node.set("cpu_s", JsonLine.MAPPER.valueToTree(CpuUsage.rounded(cpu)));
        }
        ObjectNode ratios = node.putObject("ratios");
        for (String engine : compared) {
            JsonLine.put(ratios, engine + "_p99_over_osprey_p99", p99Ratio(engine));
            LatencySummary server = summary(SERVER);
            LatencySummary other = summary(engine);
            if (server != null && other != null) {
                JsonLine.put(ratios, engine + "_p99_over_osprey_server_p99", Stats.ratio(other.p99(), server.p99()));
            }
        }
        return node;
    }
}
