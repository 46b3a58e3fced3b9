package io.osprey.bench.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the CPU went during a phase: CPU seconds of the bench JVM, of each child process (and of its JIT
 * compiler threads and its garbage collector's threads, from /proc on Linux), and of the whole machine (from
 * /proc/stat). A diagnostic next to the figures, not a target: a child whose JIT still takes a large share was not
 * warm when it was measured; one whose GC does allocates more than it needs to.
 */
public final class CpuUsage {

    /** Linux's USER_HZ, the unit of the CPU times in /proc/<pid>/task/<tid>/stat. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** HotSpot threads counted apart from the process's own work, by the suffix of their figure. */
    enum VmThreads {
        /** "C1 CompilerThread0", "C2 CompilerThre..." (the kernel truncates names to 15 characters). */
        JIT("_jit", "C1 Compiler", "C2 Compiler"),
        /** G1's parallel workers ("GC Thread#0"), its concurrent marking and refinement ("G1 Conc#0", "G1 Refine#0"...). */
        GC("_gc", "GC Thread", "G1 ");

        final String suffix;
        private final String[] prefixes;

        VmThreads(String suffix, String... prefixes) {
            this.suffix = suffix;
            this.prefixes = prefixes;
        }

        static VmThreads of(String threadName) {
            for (VmThreads kind : values()) {
                for (String prefix : kind.prefixes) {
                    if (threadName.startsWith(prefix)) {
                        return kind;
                    }
                }
            }
            return null;
        }
    }

    /**
     * Counters at one instant; {@code vmThreadNanos}: per child, the CPU of each of its JIT compiler and GC threads
     * by kind and thread id (empty where /proc cannot tell).
     */
    public record Snapshot(long wallNanos, long benchCpuNanos, Map<String, Long> processCpuNanos,
                           Map<String, Map<VmThreads, Map<Long, Long>>> vmThreadNanos, long machineBusy,
                           long machineTotal) {
    }

    private CpuUsage() {
    }

    public static Snapshot snapshot(Map<String, ProcessHandle> processes) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        processes.forEach((name, handle) -> cpu.put(name,
                handle.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L)));
        Map<String, Map<VmThreads, Map<Long, Long>>> vm = new LinkedHashMap<>();
        processes.forEach((name, handle) -> vm.put(name, vmThreadNanos(handle.pid())));
        long[] machine = machineTicks();
        return new Snapshot(System.nanoTime(), benchCpuNanos(), cpu, vm, machine[0], machine[1]);
    }

    /**
     * CPU seconds between two snapshots: "bench", one entry per process, "{process}_jit" for its JIT compiler
     * threads and "{process}_gc" for its GC threads (both part of the process's figure; a thread that exited in
     * between is not counted), and "machine" (all cores, everything running on this host, including PostgreSQL when
     * it is local), plus "machine_utilization" in [0,1].
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
            Map<VmThreads, Map<Long, Long>> kindsBefore = from.vmThreadNanos().getOrDefault(name, Map.of());
            Map<VmThreads, Map<Long, Long>> kindsAfter = to.vmThreadNanos().getOrDefault(name, Map.of());
            for (VmThreads kind : VmThreads.values()) {
                Map<Long, Long> threadsBefore = kindsBefore.getOrDefault(kind, Map.of());
                Map<Long, Long> threadsAfter = kindsAfter.getOrDefault(kind, Map.of());
                if (!threadsAfter.isEmpty()) {
                    long sum = 0;
                    for (Map.Entry<Long, Long> thread : threadsAfter.entrySet()) {
                        sum += thread.getValue() - threadsBefore.getOrDefault(thread.getKey(), 0L);
                    }
                    out.put(name + kind.suffix, sum / 1e9);
                }
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

    /** The figures of {@link #between} to the millisecond, for the JSON line. */
    public static Map<String, Double> rounded(Map<String, Double> cpu) {
        Map<String, Double> out = new LinkedHashMap<>();
        cpu.forEach((k, v) -> out.put(k, Stats.round(v, 3)));
        return out;
    }

    private static long benchCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU nanoseconds of each JIT compiler and GC thread of a process, by kind and thread id; empty where /proc is not there. */
    static Map<VmThreads, Map<Long, Long>> vmThreadNanos(long pid) {
        Map<VmThreads, Map<Long, Long>> threads = new EnumMap<>(VmThreads.class);
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    VmThread thread = vmThread(Files.readString(task.resolve("stat")));
                    if (thread != null) {
                        threads.computeIfAbsent(thread.kind(), kind -> new LinkedHashMap<>())
                                .put(Long.parseLong(task.getFileName().toString()), thread.cpuNanos());
                    }
                } catch (IOException e) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return threads;
    }

    /** A JIT compiler or GC thread and its CPU so far. */
    record VmThread(VmThreads kind, long cpuNanos) {
    }

    /**
     * The kind and the user + system CPU of a thread from its /proc/<pid>/task/<tid>/stat line when it is a HotSpot
     * JIT compiler or GC thread; null for any other thread.
     */
    static VmThread vmThread(String statLine) {
        int open = statLine.indexOf('(');
        int close = statLine.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        VmThreads kind = VmThreads.of(statLine.substring(open + 1, close));
        if (kind == null) {
            return null;
        }
        // after the name: state, then 10 fields, then utime and stime (fields 14 and 15 of proc(5))
        String[] f = statLine.substring(close + 2).trim().split("\\s+");
        return new VmThread(kind, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK);
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
