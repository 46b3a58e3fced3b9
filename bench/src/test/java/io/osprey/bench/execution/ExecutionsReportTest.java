package io.osprey.bench.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.bench.support.JsonLine;
import io.osprey.bench.support.LatencySummary;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutionsReportTest {

    private static final ExecutionsReport.Parameters PARAMS = new ExecutionsReport.Parameters(300, 5, 8, 100, 3, 5);

    private static RoundResult round(double seconds, double p99, double lagP99, double baselineSeconds) {
        return new RoundResult(5400, seconds, new LatencySummary(5400, 4, 8, p99, p99 * 2),
                new LagProbe.LagStats(new LatencySummary(1000, 20, 50, lagP99, lagP99 * 2), 1000, 0, 0, null),
                5400, 5400, baselineSeconds, new LatencySummary(5400, 1, 2, 3, 9), 0,
                Map.of("command_side", seconds), Map.of("bench", 1.0));
    }

    @Test
    void reportsMediansRatioAndTargets() throws Exception {
        List<RoundResult> rounds = List.of(round(10, 15, 100, 5), round(12, 25, 150, 6), round(9, 18, 300, 4));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("cpus", "2");

        String line = JsonLine.format(ExecutionsReport.build(PARAMS, rounds, env));
        JsonNode json = JsonLine.MAPPER.readTree(line);

        assertThat(line).doesNotContain("\n");
        assertThat(json.get("scenario").asText()).isEqualTo("executions");
        assertThat(json.get("parameters").get("commands_per_execution").asInt()).isEqualTo(18);
        assertThat(json.get("commands").asLong()).isEqualTo(5400);
        assertThat(json.get("commands_per_s").asDouble()).isEqualTo(540.0); // median of 540, 450, 600
        assertThat(json.get("latency_ms").get("p99").asDouble()).isEqualTo(18.0);
        assertThat(json.get("visibility_lag_ms").get("p99").asDouble()).isEqualTo(150.0);
        assertThat(json.get("visibility_lag_ms").get("samples").asLong()).isEqualTo(3000);
        assertThat(json.get("baseline").get("commands_per_s").asDouble()).isEqualTo(1080.0);
        assertThat(json.get("baseline").get("latency_ms").get("p99").asDouble()).isEqualTo(3.0);
        assertThat(json.get("ratio_to_baseline").asDouble()).isEqualTo(0.5);
        assertThat(json.get("targets").get("commands_per_s_met").asBoolean()).isTrue();
        assertThat(json.get("targets").get("latency_p99_met").asBoolean()).isTrue();
        assertThat(json.get("targets").get("visibility_lag_p99_met").asBoolean()).isTrue();
        assertThat(json.get("targets").get("all_met").asBoolean()).isTrue();
        assertThat(json.get("rounds")).hasSize(3);
        assertThat(json.get("cpu_s").get("osprey").get("command_side").asDouble()).isEqualTo(10.0);
        assertThat(json.get("cpu_s").get("baseline").get("bench").asDouble()).isEqualTo(1.0);
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("environment").get("cpus").asText()).isEqualTo("2");
    }

    @Test
    void missedTargetsAndNoLagSamples() throws Exception {
        RoundResult slow = new RoundResult(100, 10, new LatencySummary(100, 30, 40, 50, 60),
                new LagProbe.LagStats(new LatencySummary(0, 0, 0, 0, 0), 0, 0, 0, null),
                100, 100, 1, new LatencySummary(100, 1, 1, 1, 1), 0, Map.of(), Map.of());

        JsonNode json = JsonLine.MAPPER.readTree(JsonLine.format(
                ExecutionsReport.build(PARAMS, List.of(slow), Map.of())));

        assertThat(json.get("ratio_to_baseline").asDouble()).isEqualTo(0.1);
        assertThat(json.get("visibility_lag_ms").get("p99").isNull()).isTrue();
        assertThat(json.get("targets").get("commands_per_s_met").asBoolean()).isFalse();
        assertThat(json.get("targets").get("latency_p99_met").asBoolean()).isFalse();
        assertThat(json.get("targets").get("visibility_lag_p99_met").asBoolean()).isFalse();
        assertThat(json.get("targets").get("all_met").asBoolean()).isFalse();
    }

    @Test
    void failureLineIsValidJson() throws Exception {
        JsonNode json = JsonLine.MAPPER.readTree(JsonLine.format(
                ExecutionsReport.failure(PARAMS, "boom", 2, List.of("a", "b"), Map.of())));
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("errors").asLong()).isEqualTo(2);
        assertThat(json.get("error_samples")).hasSize(2);
    }
}
