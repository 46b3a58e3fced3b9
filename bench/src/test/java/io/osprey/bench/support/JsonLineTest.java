package io.osprey.bench.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLineTest {

    @Test
    void roundsNumbersWritesNaNAsNullAndStaysOnOneLine() throws Exception {
        ObjectNode node = JsonLine.object();
        node.put("scenario", "x\ny");
        JsonLine.put(node, "a", 1.23456);
        JsonLine.put(node, "b", Double.NaN);
        JsonLine.put(node, "c", 42.0);
        node.set("latency_ms", JsonLine.latency(new LatencySummary(3, 1.5, 2, 3.25, 4)));

        String line = JsonLine.format(node);

        assertThat(line).doesNotContain("\n").startsWith("{").endsWith("}");
        JsonNode parsed = JsonLine.MAPPER.readTree(line);
        assertThat(parsed.get("a").asDouble()).isEqualTo(1.235);
        assertThat(parsed.get("b").isNull()).isTrue();
        assertThat(parsed.get("c").isIntegralNumber()).isTrue();
        assertThat(parsed.get("latency_ms").get("p99").asDouble()).isEqualTo(3.25);
        assertThat(parsed.get("latency_ms").has("max")).isTrue();
    }
}
