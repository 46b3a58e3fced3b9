package io.osprey.events.web;

import io.osprey.events.validation.InvalidInputException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request's query string, decoded strictly: a bad percent-escape or bytes that are not UTF-8 are a 400 naming the
 * parameter (rule {@code encoding}). The container is lenient instead: it drops such a parameter, and an endpoint
 * then acts as if it had not been given (a listing of {@code path=%ZZ} listed the root). Reading the query string
 * also never touches the body, which an upload streams itself.
 */
public final class QueryParameters {

    private final Map<String, List<String>> values;

    private QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /** Parses a raw query string ({@code null} when the request has none), {@code +} meaning a space as in forms. */
    public static QueryParameters parse(String query) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode("query", equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(name, pair.substring(equals + 1));
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        return new QueryParameters(values);
    }

    /** Every value given for the parameter, in order; empty when it is absent. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The parameters given, in the order they first appear. */
    public Set<String> names() {
        return values.keySet();
    }

    /** How many times the parameter is given. */
    public int count(String name) {
        return values.getOrDefault(name, List.of()).size();
    }

    /** The value of a parameter that may be given once: null when absent, a 400 (rule {@code duplicate}) when repeated. */
    public String single(String name) {
        List<String> given = values.getOrDefault(name, List.of());
        if (given.size() > 1) {
            throw new InvalidInputException(name, "duplicate", duplicate(name, given.size()));
        }
        return given.isEmpty() ? null : given.get(0);
    }

    static String duplicate(String name, int times) {
        return name + " may be given once, got it " + times + " times";
    }

    private static String decode(String field, String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
                if (low < 0) {
                    throw badEncoding(field);
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c <= 0xFF) {
                bytes.write(c); // the container reads the request line byte for byte (ISO-8859-1)
            } else {
                int codePoint = text.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        try {
            return StrictText.decode(bytes.toByteArray(), StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw badEncoding(field);
        }
    }

    private static InvalidInputException badEncoding(String field) {
        return new InvalidInputException(field, "encoding", "query".equals(field)
                ? "the query string is not valid percent-encoded UTF-8"
                : field + " is not valid percent-encoded UTF-8");
    }
}
