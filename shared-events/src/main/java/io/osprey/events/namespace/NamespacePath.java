package io.osprey.events.namespace;

import io.osprey.events.validation.Violations;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A path in a namespace's file tree, normalised: one leading '/', no trailing '/', segments separated by
 * one '/'; the root is {@code /}. Clients may write {@code a/b}, {@code /a/b} or {@code /a/b/}, which all
 * mean {@code /a/b}. Refused: {@code .} and {@code ..} segments, empty segments ({@code a//b}), backslashes,
 * control characters, undecodable text, Windows drives ({@code C:}), segments over {@value #MAX_SEGMENT_BYTES}
 * bytes and paths over {@value #MAX_BYTES} bytes (UTF-8, normalised).
 */
public final class NamespacePath {

    public static final int MAX_BYTES = 1024;
    public static final int MAX_SEGMENT_BYTES = 255;
    public static final NamespacePath ROOT = new NamespacePath("/");

    /** {@code C:}, {@code C:/...}, {@code C:\...}: a Windows drive, where a path inside the namespace was expected. */
    private static final Pattern DRIVE = Pattern.compile("[A-Za-z]:([/\\\\].*)?", Pattern.DOTALL);

    /** What decoders put where the client's bytes were not UTF-8: such a name would be silently garbled. */
    private static final char UNDECODABLE = '\uFFFD';

    private final String value;

    private NamespacePath(String value) {
        this.value = value;
    }

    /** The normalised path, or an {@link io.osprey.events.validation.InvalidInputException} naming {@code field}. */
    public static NamespacePath parse(String field, String raw) {
        Violations violations = new Violations();
        NamespacePath path = check(violations, field, raw);
        violations.throwIfAny();
        return path;
    }

    /**
     * A path that was normalised when it was written (read back from an event or a read model). It is not
     * checked again, so that stored history never fails rules made stricter later.
     */
    public static NamespacePath normalised(String value) {
        if (value == null || !value.startsWith("/")) {
            throw new IllegalArgumentException("not a normalised namespace path: " + value);
        }
        return new NamespacePath(value);
    }

    /** The normalised path, or null with the first broken rule added to {@code violations}. */
    public static NamespacePath check(Violations violations, String field, String raw) {
        String broken = brokenRule(raw);
        if (broken != null) {
            violations.add(field, broken, field + " " + explain(broken) + (raw == null || raw.isEmpty() ? "" : ": " + raw));
            return null;
        }
        String body = body(raw);
        return body.isEmpty() ? ROOT : new NamespacePath("/" + body);
    }

    /** The path without its optional leading and trailing '/'. */
    private static String body(String raw) {
        return raw.equals("/") ? "" : raw.substring(raw.startsWith("/") ? 1 : 0, raw.length() - (raw.endsWith("/") ? 1 : 0));
    }

    private static String brokenRule(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "required";
        }
        if (raw.codePoints().anyMatch(Character::isISOControl)) {
            return "no-control-characters";
        }
        if (raw.indexOf(UNDECODABLE) >= 0 || !StandardCharsets.UTF_8.newEncoder().canEncode(raw)) {
            return "encoding";
        }
        if (DRIVE.matcher(raw).matches()) {
            return "absolute";
        }
        if (raw.indexOf('\\') >= 0) {
            return "no-backslash";
        }
        if (raw.equals("/")) {
            return null;
        }
        String body = body(raw);
        for (String segment : body.split("/", -1)) {
            if (segment.isEmpty()) {
                return "empty-segment";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "dot-segment";
            }
            if (bytes(segment) > MAX_SEGMENT_BYTES) {
                return "max-segment-length";
            }
        }
        return bytes("/" + body) > MAX_BYTES ? "max-length" : null;
    }

    private static String explain(String rule) {
        return switch (rule) {
            case "required" -> "is required";
            case "no-control-characters" -> "must not contain control characters";
            case "encoding" -> "must be text sent as UTF-8 (it holds undecodable bytes)";
            case "absolute" -> "must be a path inside the namespace, not a drive";
            case "no-backslash" -> "must separate segments with '/', and contain no '\\'";
            case "empty-segment" -> "must not contain empty segments ('//')";
            case "dot-segment" -> "must not contain '.' or '..' segments";
            case "max-segment-length" -> "must not have a segment longer than " + MAX_SEGMENT_BYTES + " bytes in UTF-8";
            case "max-length" -> "must be at most " + MAX_BYTES + " bytes in UTF-8";
            default -> throw new IllegalArgumentException(rule);
        };
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    public String value() {
        return value;
    }

    public boolean isRoot() {
        return value.equals("/");
    }

    /** The last segment; empty for the root. */
    public String name() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    /** The directory holding this path; null for the root. */
    public NamespacePath parent() {
        if (isRoot()) {
            return null;
        }
        int slash = value.lastIndexOf('/');
        return slash == 0 ? ROOT : new NamespacePath(value.substring(0, slash));
    }

    /** The directories above this path, from the top, without the root: {@code /a, /a/b} for {@code /a/b/c}. */
    public List<NamespacePath> ancestors() {
        List<NamespacePath> ancestors = new ArrayList<>();
        for (int slash = value.indexOf('/', 1); slash > 0; slash = value.indexOf('/', slash + 1)) {
            ancestors.add(new NamespacePath(value.substring(0, slash)));
        }
        return ancestors;
    }

    /** True when this path is {@code other} or lies below it. */
    public boolean isWithin(NamespacePath other) {
        return other.isRoot() || value.equals(other.value) || value.startsWith(other.value + "/");
    }

    /**
     * Where this path ends up when {@code from} (this path or a directory above it) moves to {@code to}. Not
     * checked against the length limit: a command checks it with {@link #parse}, replayed events must not be.
     */
    public NamespacePath moved(NamespacePath from, NamespacePath to) {
        if (from.isRoot() || !isWithin(from)) {
            throw new IllegalArgumentException(value + " does not lie within " + from);
        }
        return new NamespacePath(to.value + value.substring(from.value.length()));
    }

    /**
     * The paths strictly below this one are exactly the strings from {@code descendantsFrom()} (inclusive) to
     * {@code descendantsUntil()} (exclusive), in Java's string order and in byte order (PostgreSQL's "C"
     * collation) alike: they all start with this path and '/', and '0' is the character after '/'.
     */
    public String descendantsFrom() {
        return isRoot() ? "/" : value + "/";
    }

    public String descendantsUntil() {
        return isRoot() ? "0" : value + "0";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NamespacePath path && path.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
