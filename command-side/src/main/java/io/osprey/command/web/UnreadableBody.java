package io.osprey.command.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.osprey.events.validation.FieldViolation;
import org.springframework.http.converter.HttpMessageNotReadableException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.stream.Collectors;

/**
 * What is wrong with a JSON body Jackson could not read, as a violation named in the API's terms: the field, the
 * rule, and a message that speaks of JSON values (an integer, a string, an object), not of the Java types behind them.
 */
final class UnreadableBody {

    private static final int SHOWN_CHARACTERS = 40;

    private UnreadableBody() {
    }

    /**
     * @param bodyName what the API calls a body that is itself a list or a map of values ({@code labels},
     *                 {@code variables}, {@code outputs}), so that a field in it is named as the request's other
     *                 violations name it ({@code variables.a}); null for a body that is an object of named fields
     */
    static FieldViolation describe(HttpMessageNotReadableException e, String bodyName) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof JsonTextCheck.MalformedJsonTextException malformed) {
            return new FieldViolation("body", "encoding", malformed.getMessage());
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return new FieldViolation(within(bodyName, path(unknown)), "unknown-field", "unknown field '" + unknown.getPropertyName() + "'");
        }
        if (cause instanceof MismatchedInputException trailing && trailing.getOriginalMessage().startsWith("Trailing token")) {
            return new FieldViolation("body", "malformed-json", "nothing may follow the body's JSON value"
                    + (trailing.getLocation() == null ? "" : "; more comes at line " + trailing.getLocation().getLineNr()
                    + ", column " + trailing.getLocation().getColumnNr()));
        }
        if (cause instanceof MismatchedInputException mismatch) {
            String field = named(within(bodyName, path(mismatch)));
            return new FieldViolation(field, "type", field + " must be " + expected(mismatch.getTargetType())
                    + given(mismatch.getProcessor()));
        }
        if (cause instanceof InputCoercionException outOfRange) {
            String field = named(within(bodyName, path(outOfRange.getProcessor())));
            return new FieldViolation(field, "range", field + " is out of range: " + rangeOf(outOfRange.getTargetType())
                    + given(outOfRange.getProcessor()));
        }
        if (cause instanceof StreamReadException twice && twice.getOriginalMessage().startsWith("Duplicate field")) {
            String field = named(within(bodyName, path(twice.getProcessor())));
            return new FieldViolation(field, "duplicate", field + " is given more than once");
        }
        if (cause instanceof StreamConstraintsException limit) {
            // Jackson names the Java method that sets the limit, which means nothing to a client
            return new FieldViolation("body", "limit", "the JSON body exceeds a limit: "
                    + limit.getOriginalMessage().replaceAll(",? ?(from|use) `[^`]*`", "").replace(" ()", ""));
        }
        if (cause instanceof JsonProcessingException json) {
            return new FieldViolation("body", "malformed-json", "malformed JSON: " + json.getOriginalMessage()
                    + (json.getLocation() == null ? "" : " at line " + json.getLocation().getLineNr()
                    + ", column " + json.getLocation().getColumnNr()));
        }
        return new FieldViolation("body", "required", "a JSON body is required");
    }

    /** A path inside the body, from the body's name where it has one: {@code [1].key} in labels is {@code labels[1].key}. */
    private static String within(String bodyName, String path) {
        if (bodyName == null || path.isEmpty()) {
            return path;
        }
        return path.startsWith("[") ? bodyName + path : bodyName + "." + path;
    }

    private static String named(String field) {
        return field.isEmpty() ? "body" : field;
    }

    /** The JSON value a Java type is read from. */
    private static String expected(Class<?> type) {
        if (type == null || JsonNode.class.isAssignableFrom(type)) {
            return "a value of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class
                || type == BigDecimal.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String rangeOf(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return "an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE;
        }
        return "a number this field can hold";
    }

    /** What the body gave where the parser stands: "; got the number 1.5", "; got an object". */
    private static String given(Object processor) {
        if (!(processor instanceof JsonParser parser) || parser.currentToken() == null) {
            return "";
        }
        try {
            JsonToken token = parser.currentToken();
            return switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "; got the number " + shown(parser.getText());
                case VALUE_STRING -> "; got the string \"" + shown(parser.getText()) + "\"";
                case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> "; got " + parser.getText();
                case START_OBJECT -> "; got an object";
                case START_ARRAY -> "; got an array";
                default -> "";
            };
        } catch (java.io.IOException unreadable) {
            return "";
        }
    }

    private static String shown(String text) {
        return text.length() <= SHOWN_CHARACTERS ? text : text.substring(0, SHOWN_CHARACTERS) + "…";
    }

    /** Where the parser stood, as {@code a.b[0].c}; empty at the top level or without a parser. */
    private static String path(Object processor) {
        Deque<String> steps = new ArrayDeque<>();
        JsonStreamContext at = processor instanceof JsonParser parser ? parser.getParsingContext() : null;
        for (; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inObject() && at.getCurrentName() != null) {
                steps.addFirst("." + at.getCurrentName());
            } else if (at.inArray()) {
                steps.addFirst("[" + Math.max(0, at.getCurrentIndex()) + "]");
            }
        }
        String path = String.join("", steps);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
