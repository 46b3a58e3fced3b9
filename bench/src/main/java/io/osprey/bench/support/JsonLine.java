package io.osprey.bench.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

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

    /**
     * The median of several rounds' results of one shape, field by field: numbers become the median of the
     * rounds' values (rounded as {@link #put}), objects are combined the same way, a boolean is true only when it
     * is true in every round, and anything else (text, arrays, nulls) is the first round's.
     */
    public static ObjectNode median(List<ObjectNode> rounds) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("no rounds");
        }
        ObjectNode out = object();
        rounds.get(0).fieldNames().forEachRemaining(field -> {
            List<JsonNode> values = rounds.stream().map(round -> round.path(field)).toList();
            JsonNode first = values.get(0);
            if (values.stream().allMatch(JsonNode::isNumber)) {
                put(out, field, Stats.median(values.stream().map(JsonNode::asDouble).toList()));
            } else if (values.stream().allMatch(JsonNode::isObject)) {
                out.set(field, median(values.stream().map(ObjectNode.class::cast).toList()));
            } else if (first.isBoolean()) {
                out.put(field, values.stream().allMatch(JsonNode::asBoolean));
            } else {
                out.set(field, first.deepCopy());
            }
        });
        return out;
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
