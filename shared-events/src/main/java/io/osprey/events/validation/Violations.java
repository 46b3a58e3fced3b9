package io.osprey.events.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects every rule a request breaks, so that one reply names them all, then throws once.
 * The name rules are Kestra's, written down here once for both sides.
 */
public final class Violations {

    /** Dot-separated segments of letters, digits, {@code _} and {@code -} (Kestra's namespace rule). */
    public static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    public static final int NAMESPACE_MAX = 150;
    public static final Pattern TENANT = NAMESPACE;
    public static final int TENANT_MAX = 64;
    /** Flow ids: Kestra's {@code ^[a-zA-Z0-9][a-zA-Z0-9._-]*}. */
    public static final Pattern FLOW_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    public static final int FLOW_ID_MAX = 100;
    /** Ids of executions, tasks and task runs: URL-safe, no dots or slashes. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    public static final int ID_MAX = 100;
    /** Label keys: a letter first, then letters, digits, {@code _ - . /}. */
    public static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_./-]*");
    public static final int LABEL_KEY_MAX = 100;
    /** An integer as request text may give one: ASCII digits only (Java's parsing also takes '+' and any Unicode digit). */
    public static final Pattern ASCII_INTEGER = Pattern.compile("-?[0-9]+");
    /** In UTF-8 bytes, so that a value always fits a database index entry. */
    public static final int LABEL_VALUE_MAX_BYTES = 1000;

    private final List<FieldViolation> violations = new ArrayList<>();

    public Violations add(String field, String rule, String message) {
        violations.add(new FieldViolation(field, rule, message));
        return this;
    }

    /** Checks presence, length and pattern; returns true when the value is usable. */
    public boolean name(String field, String value, Pattern pattern, int maxLength, String ruleText) {
        if (value == null || value.isEmpty()) {
            add(field, "required", field + " is required");
            return false;
        }
        if (value.length() > maxLength) {
            add(field, "max-length", field + " must be at most " + maxLength + " characters, got " + value.length());
            return false;
        }
        if (!pattern.matcher(value).matches()) {
            add(field, "pattern", field + " must be " + ruleText);
            return false;
        }
        return true;
    }

    public boolean tenant(String field, String value) {
        return name(field, value, TENANT, TENANT_MAX, "dot-separated segments of letters, digits, '_' and '-'");
    }

    public boolean namespace(String field, String value) {
        return name(field, value, NAMESPACE, NAMESPACE_MAX, "dot-separated segments of letters, digits, '_' and '-'");
    }

    public boolean flowId(String field, String value) {
        return name(field, value, FLOW_ID, FLOW_ID_MAX, "letters, digits, '.', '_' and '-', starting with a letter or digit");
    }

    public boolean id(String field, String value) {
        return name(field, value, ID, ID_MAX, "letters, digits, '_' and '-', starting with a letter or digit");
    }

    public boolean labelKey(String field, String value) {
        return name(field, value, LABEL_KEY, LABEL_KEY_MAX, "a letter followed by letters, digits, '_', '.', '/' and '-'");
    }

    public boolean labelValue(String field, String value) {
        if (value == null || value.isEmpty()) {
            add(field, "required", field + " is required");
            return false;
        }
        int bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > LABEL_VALUE_MAX_BYTES) {
            add(field, "max-length", field + " must be at most " + LABEL_VALUE_MAX_BYTES + " bytes in UTF-8, got " + bytes);
            return false;
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            add(field, "no-control-characters", field + " must not contain control characters");
            return false;
        }
        return true;
    }

    public boolean required(String field, Object value) {
        if (value == null) {
            add(field, "required", field + " is required");
            return false;
        }
        return true;
    }

    public int count() {
        return violations.size();
    }

    public boolean isEmpty() {
        return violations.isEmpty();
    }

    /** The first violation found; only when there is one. */
    FieldViolation first() {
        return violations.get(0);
    }

    public void throwIfAny() {
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }
}
