package io.osprey.bench.support;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CpuUsageTest {

    @Test
    void parsesProcStatCpuLine() {
        long[] t = CpuUsage.parseProcStat("cpu  100 5 50 800 20 3 2 10 0 0");
        assertThat(t[0]).isEqualTo(100 + 5 + 50 + 3 + 2 + 10);
        assertThat(t[1]).isEqualTo(170 + 800 + 20);
        assertThat(CpuUsage.parseProcStat("garbage")).containsExactly(0, 0);
    }

    @Test
    void differenceOfSnapshots() {
        CpuUsage.Snapshot a = new CpuUsage.Snapshot(0, 1_000_000_000L, Map.of("p", 2_000_000_000L),
                Map.of("p", Map.of(CpuUsage.VmThreads.JIT, Map.of(7L, 300_000_000L, 8L, 100_000_000L),
                        CpuUsage.VmThreads.GC, Map.of(3L, 10_000_000L))), 100, 1000);
        // thread 8 ended in between (not counted), thread 9 started (counted from zero)
        CpuUsage.Snapshot b = new CpuUsage.Snapshot(2_000_000_000L, 3_000_000_000L, Map.of("p", 2_500_000_000L),
                Map.of("p", Map.of(CpuUsage.VmThreads.JIT, Map.of(7L, 400_000_000L, 9L, 50_000_000L),
                        CpuUsage.VmThreads.GC, Map.of(3L, 30_000_000L))), 600, 2000);
        Map<String, Double> d = CpuUsage.between(a, b);
        assertThat(d.get("bench")).isEqualTo(2.0);
        assertThat(d.get("p")).isEqualTo(0.5);
        assertThat(d.get("p_jit")).isEqualTo(0.15);
        assertThat(d.get("p_gc")).isEqualTo(0.02);
        assertThat(d.get("machine_utilization")).isEqualTo(0.5);
    }

    @Test
    void compilerThreadsAreTheJitAndG1ThreadsTheGc() {
        String c2 = "4242 (C2 CompilerThre) S 4200 4200 0 0 -1 1077936192 9 0 0 0 1234 56 0 0 20 0 45 0 370 0 0";
        assertThat(CpuUsage.vmThread(c2)).isEqualTo(
                new CpuUsage.VmThread(CpuUsage.VmThreads.JIT, (1234 + 56) * 10_000_000L));
        String c1 = "4243 (C1 CompilerThre) S 4200 4200 0 0 -1 1077936192 9 0 0 0 7 3 0 0 20 0 45 0 370 0 0";
        assertThat(CpuUsage.vmThread(c1)).isEqualTo(new CpuUsage.VmThread(CpuUsage.VmThreads.JIT, 100_000_000L));
        String gcWorker = "4245 (GC Thread#1) S 4200 4200 0 0 -1 1077936192 9 0 0 0 40 2 0 0 20 0 45 0 370 0 0";
        assertThat(CpuUsage.vmThread(gcWorker)).isEqualTo(new CpuUsage.VmThread(CpuUsage.VmThreads.GC, 420_000_000L));
        String marker = "4246 (G1 Conc#0) S 4200 4200 0 0 -1 1077936192 9 0 0 0 1 1 0 0 20 0 45 0 370 0 0";
        assertThat(CpuUsage.vmThread(marker).kind()).isEqualTo(CpuUsage.VmThreads.GC);
        String worker = "4244 (log-indexer (x)) S 4200 4200 0 0 -1 1077936192 9 0 0 0 500 5 0 0 20 0 45 0 370 0 0";
        assertThat(CpuUsage.vmThread(worker)).isNull();
    }

    @Test
    void readsTheJitAndGcThreadsOfThisProcess() {
        Map<CpuUsage.VmThreads, Map<Long, Long>> threads = CpuUsage.vmThreadNanos(ProcessHandle.current().pid());
        if (System.getProperty("os.name").startsWith("Linux")) {
            // a JVM running tests has compiled something by now, with at least one compiler thread, and has GC threads
            assertThat(threads).containsKeys(CpuUsage.VmThreads.JIT, CpuUsage.VmThreads.GC);
            assertThat(threads.get(CpuUsage.VmThreads.JIT).values()).allSatisfy(nanos -> assertThat(nanos).isNotNegative());
        } else {
            assertThat(threads).isEmpty();
        }
    }
}
