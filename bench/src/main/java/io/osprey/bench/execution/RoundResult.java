package io.osprey.bench.execution;

import io.osprey.bench.support.LatencySummary;

import java.util.Map;

/** Figures of one measured round: the Osprey run and the raw baseline that followed it. */
record RoundResult(long commands, double seconds, LatencySummary latency, LagProbe.LagStats lag,
                   long baselineCommands, long baselineRows, double baselineSeconds, LatencySummary baselineLatency,
                   long unmatchedRows, Map<String, Double> cpuSeconds, Map<String, Double> baselineCpuSeconds) {

    double commandsPerSecond() {
        return seconds > 0 ? commands / seconds : 0;
    }

    double baselineCommandsPerSecond() {
        return baselineSeconds > 0 ? baselineCommands / baselineSeconds : 0;
    }

    double ratioToBaseline() {
        double baseline = baselineCommandsPerSecond();
        return baseline > 0 ? commandsPerSecond() / baseline : Double.NaN;
    }
}
