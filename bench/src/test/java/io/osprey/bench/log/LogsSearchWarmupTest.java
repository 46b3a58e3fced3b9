package io.osprey.bench.log;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LogsSearchWarmupTest {

    @Test
    void jitSharesAreEachJvmsCompilerSecondsOverTheWallTime() {
        Map<String, Double> cpu = Map.of("query_side", 1.6, "query_side_jit", 0.4, "query_side_gc", 0.1,
                "bench", 0.8, "bench_jit", 0.02, "machine", 3.0);

        Map<String, Double> shares = LogsSearchScenario.jitShares(cpu, 2.0);

        assertThat(shares).containsOnlyKeys(LogsSearchScenario.QUERY_SIDE, LogsSearchScenario.CLIENT);
        assertThat(shares.get(LogsSearchScenario.QUERY_SIDE)).isCloseTo(0.2, within(1e-9));
        assertThat(shares.get(LogsSearchScenario.CLIENT)).isCloseTo(0.01, within(1e-9));
    }

    @Test
    void aJvmWhoseCompilersCannotBeSeenIsLeftOut() {
        assertThat(LogsSearchScenario.jitShares(Map.of("query_side", 1.0, "bench_jit", 0.5), 1.0))
                .containsOnlyKeys(LogsSearchScenario.CLIENT);
        assertThat(LogsSearchScenario.jitShares(Map.of("query_side_jit", 0.5), 0.0)).isEmpty();
    }
}
