package io.osprey.bench.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the CPU went during a phase: CPU seconds of the bench JVM, of each child process, and of the whole
 * machine (from /proc/stat on Linux). A diagnostic next to the figures, not a target.
 */
public final class CpuUsage {

    /** Counters at one instant. */
    public record Snapshot(long wallNanos, long benchCpuNanos, Map<String, Long> processCpuNanos, long machineBusy,
                           long machineTotal) {
    }

    private CpuUsage() {
    }

    public static Snapshot snapshot(Map<String, ProcessHandle> processes) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        processes.forEach((name, handle) -> cpu.put(name,
                handle.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L)));
        long[] machine = machineTicks();
        return new Snapshot(System.nanoTime(), benchCpuNanos(), cpu, machine[0], machine[1]);
    }

    /**
     * CPU seconds between two snapshots: "bench", one entry per process, and "machine" (all cores, everything
     * running on this host, including PostgreSQL when it is local), plus "machine_utilization" in [0,1].
     */
    public static Map<String, Double> between(Snapshot from, Snapshot to) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (from.benchCpuNanos() >= 0 && to.benchCpuNanos() >= 0) {
            out.put("bench", (to.benchCpuNanos() - from.benchCpuNanos()) / 1e9);
        }
        to.processCpuNanos().forEach((name, nanos) -> {
            Long before = from.processCpuNanos().get(name);
            if (before != null && before >= 0 && nanos >= 0) {
                out.put(name, (nanos - before) / 1e9);
            }
        });
        long total = to.machineTotal() - from.machineTotal();
        if (total > 0) {
            double utilization = (double) (to.machineBusy() - from.machineBusy()) / total;
            double wall = (to.wallNanos() - from.wallNanos()) / 1e9;
            out.put("machine", utilization * wall * Runtime.getRuntime().availableProcessors());
            out.put("machine_utilization", utilization);
        }
        return out;
    }

    private static long benchCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** {busy, total} jiffies from the first line of /proc/stat, or {0, 0} where there is none. */
    static long[] machineTicks() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            return parseProcStat(lines.isEmpty() ? "" : lines.get(0));
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static long[] parseProcStat(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (f.length < 8 || !f[0].equals("cpu")) {
            return new long[] {0, 0};
        }
        long user = Long.parseLong(f[1]);
        long nice = Long.parseLong(f[2]);
        long system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]);
        long iowait = Long.parseLong(f[5]);
        long irq = Long.parseLong(f[6]);
        long softirq = Long.parseLong(f[7]);
        long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        long busy = user + nice + system + irq + softirq + steal;
        return new long[] {busy, busy + idle + iowait};
    }
}
