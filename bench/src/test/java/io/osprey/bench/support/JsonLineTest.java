package io.osprey.bench.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

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

    @Test
    void medianOfRoundsFieldByField() throws Exception {
        List<ObjectNode> rounds = List.of(
                (ObjectNode) JsonLine.MAPPER.readTree(
                        "{\"rate\":10,\"ok\":true,\"method\":\"copy\",\"cpu\":{\"q\":3.0,\"q_jit\":1.0}}"),
                (ObjectNode) JsonLine.MAPPER.readTree(
                        "{\"rate\":30,\"ok\":false,\"method\":\"other\",\"cpu\":{\"q\":1.0,\"q_jit\":0.5}}"),
                (ObjectNode) JsonLine.MAPPER.readTree(
                        "{\"rate\":20.5,\"ok\":true,\"method\":\"x\",\"cpu\":{\"q\":2.0,\"q_jit\":0.25}}"));

        ObjectNode median = JsonLine.median(rounds);

        assertThat(median.get("rate").asDouble()).isEqualTo(20.5);
        assertThat(median.get("ok").asBoolean()).isFalse();
        assertThat(median.get("method").asText()).isEqualTo("copy");
        assertThat(median.get("cpu").get("q").asDouble()).isEqualTo(2.0);
        assertThat(median.get("cpu").get("q_jit").asDouble()).isEqualTo(0.5);
        assertThat(JsonLine.median(rounds.subList(0, 1)).get("cpu").get("q_jit").asDouble()).isEqualTo(1.0);
    }
}
