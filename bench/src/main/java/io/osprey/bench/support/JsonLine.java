package io.osprey.bench.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the one-line JSON result of a scenario. Numbers are rounded to 3 decimals; NaN (no data)
 * becomes {@code null} so the line always stays valid JSON.
 */
public final class JsonLine {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLine() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ObjectNode put(ObjectNode node, String field, double value) {
        double rounded = Stats.round(value, 3);
        if (Double.isNaN(rounded) || Double.isInfinite(rounded)) {
            node.putNull(field);
        } else if (rounded == Math.rint(rounded) && Math.abs(rounded) < 1e15) {
            node.put(field, (long) rounded);
        } else {
            node.put(field, rounded);
        }
        return node;
    }

    /** {"p50":..,"p90":..,"p99":..,"max":..} in milliseconds. */
    public static ObjectNode latency(LatencySummary summary) {
        ObjectNode node = object();
        put(node, "p50", summary.p50());
        put(node, "p90", summary.p90());
        put(node, "p99", summary.p99());
        put(node, "max", summary.max());
        return node;
    }

    /** Compact single-line JSON (no newline inside). */
    public static String format(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot format result line", e);
        }
    }
}
