package io.osprey.bench.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class JitWarmupTest {

    @Test
    void jitSharesAreEachJvmsCompilerSecondsOverTheWallTime() {
        Map<String, Double> cpu = Map.of("query_side", 1.6, "query_side_jit", 0.4, "query_side_gc", 0.1,
                "bench", 0.8, "bench_jit", 0.02, "machine", 3.0);

        Map<String, Double> shares = JitWarmup.jitShares(cpu, List.of("query_side", "bench"), 2.0);

        assertThat(shares).containsOnlyKeys("query_side", "bench");
        assertThat(shares.get("query_side")).isCloseTo(0.2, within(1e-9));
        assertThat(shares.get("bench")).isCloseTo(0.01, within(1e-9));
    }

    @Test
    void aJvmWhoseCompilersCannotBeSeenIsLeftOut() {
        assertThat(JitWarmup.jitShares(Map.of("query_side", 1.0, "bench_jit", 0.5), List.of("query_side", "bench"), 1.0))
                .containsOnlyKeys("bench");
        assertThat(JitWarmup.jitShares(Map.of("query_side_jit", 0.5), List.of("query_side"), 0.0)).isEmpty();
    }

    @Test
    void withNothingToWatchTwoQuietBlocksEndIt() throws Exception {
        List<Integer> blocks = new ArrayList<>();

        JitWarmup.Result result = JitWarmup.run("test", Map.of(), Duration.ofMinutes(1), index -> {
            blocks.add(index);
            return 10;
        });

        assertThat(blocks).containsExactly(0, 1);
        assertThat(result.units()).isEqualTo(20);
        assertThat(result.quiet()).isTrue();
        assertThat(result.json("requests", "nothing").get("requests").asInt()).isEqualTo(20);
    }

    @Test
    void pastTheLimitNoFurtherBlockRunsAndTheResultSaysSo() throws Exception {
        Map<String, ProcessHandle> self = Map.of("bench", ProcessHandle.current());
        List<Integer> blocks = new ArrayList<>();

        JitWarmup.Result result = JitWarmup.run("test", self, Duration.ZERO, index -> {
            blocks.add(index);
            return 1;
        });

        assertThat(blocks).containsExactly(0);
        assertThat(result.units()).isEqualTo(1);
        assertThat(result.quiet()).isFalse();
    }
}
