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
        CpuUsage.Snapshot a = new CpuUsage.Snapshot(0, 1_000_000_000L, Map.of("p", 2_000_000_000L), 100, 1000);
        CpuUsage.Snapshot b = new CpuUsage.Snapshot(2_000_000_000L, 3_000_000_000L, Map.of("p", 2_500_000_000L),
                600, 2000);
        Map<String, Double> d = CpuUsage.between(a, b);
        assertThat(d.get("bench")).isEqualTo(2.0);
        assertThat(d.get("p")).isEqualTo(0.5);
        assertThat(d.get("machine_utilization")).isEqualTo(0.5);
    }
}
