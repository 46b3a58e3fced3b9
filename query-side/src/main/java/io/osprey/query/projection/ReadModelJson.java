package io.osprey.query.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osprey.events.EventSerialization;

import java.util.Map;

/**
 * The JSON written into read-model text columns. It uses the events' mapper settings, not the web layer's,
 * so that what is stored does not change with the application's configuration.
 */
public final class ReadModelJson {

    private static final ObjectMapper MAPPER = EventSerialization.objectMapper();

    private ReadModelJson() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable to JSON: " + value.getClass().getName(), e);
        }
    }

    /** A JSON object of the values; an absent map is stored as the empty object. */
    public static String writeObject(Map<String, ?> values) {
        return write(values == null ? Map.of() : values);
    }

    public static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("read model column holds invalid JSON", e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("read model column holds invalid JSON", e);
        }
    }
}
