package io.osprey.blob;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The rules of a storage key, written once for the URI, the paths and both adapters.
 *
 * <p>A key is {@code tenant/namespace/segment/...}. Segments are stored percent-encoded: only the
 * RFC 3986 unreserved characters stay as they are, so a key is plain ASCII, means the same thing on
 * every filesystem and in every S3 implementation, and has one spelling per name (the canonical form).
 */
final class BlobKeys {

    /** Kestra's tenant and namespace rule (kept in step with shared-events, which this module cannot see). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    static final int TENANT_MAX = 64;
    static final int NAMESPACE_MAX = 150;
    /** Kestra's id rule (flows, executions, tasks, inputs): starting with a letter or digit keeps ids off {@code _files}. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** S3's limit on a key, in UTF-8 bytes (a canonical key is ASCII, so also in characters). */
    static final int KEY_MAX = 1024;
    /** Leaves room under the usual 255-byte file-name limit for the local store's suffixes. */
    static final int SEGMENT_MAX = 200;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private BlobKeys() {
    }

    static String tenant(String tenant) {
        return name("tenant", tenant, TENANT_MAX);
    }

    static String namespace(String namespace) {
        return name("namespace", namespace, NAMESPACE_MAX);
    }

    private static String name(String what, String value, int max) {
        if (value == null || value.length() > max || !NAME.matcher(value).matches()) {
            throw new InvalidBlobKeyException(what + " must be dot-separated segments of letters, digits, '_' and '-', at most "
                    + max + " characters: " + value);
        }
        return value;
    }

    static String id(String what, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new InvalidBlobKeyException(what + " must be letters, digits, '.', '_' and '-', starting with a letter or digit: " + value);
        }
        return segment(value);
    }

    /** Checks one raw (decoded) path segment and returns its canonical encoded form. */
    static String segment(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidBlobKeyException("a path segment must not be empty");
        }
        if (raw.equals(".") || raw.equals("..")) {
            throw new InvalidBlobKeyException("a path segment must not be '" + raw + "'");
        }
        if (raw.indexOf('/') >= 0 || raw.indexOf('\\') >= 0) {
            throw new InvalidBlobKeyException("a path segment must not contain '/' or '\\': " + raw);
        }
        if (raw.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidBlobKeyException("a path segment must not contain control characters");
        }
        String encoded = encode(raw);
        if (encoded.length() > SEGMENT_MAX) {
            throw new InvalidBlobKeyException("a path segment must be at most " + SEGMENT_MAX + " bytes once encoded, got "
                    + encoded.length());
        }
        return encoded;
    }

    /** Splits a relative path on '/' and checks every segment; refuses absolute paths and empty segments. */
    static String path(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            throw new InvalidBlobKeyException("a path must not be empty");
        }
        StringBuilder path = new StringBuilder();
        for (String raw : rawPath.split("/", -1)) {
            if (!path.isEmpty()) {
                path.append('/');
            }
            path.append(segment(raw));
        }
        return path.toString();
    }

    /** Decodes an encoded segment and checks it; the result is the canonical encoding of the same name. */
    static String canonicalSegment(String encoded) {
        return segment(decode(encoded));
    }

    static void checkKeyLength(String key) {
        if (key.length() > KEY_MAX) {
            throw new InvalidBlobKeyException("a key must be at most " + KEY_MAX + " bytes, got " + key.length());
        }
    }

    static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    static String encode(String raw) {
        ByteBuffer bytes;
        try {
            bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(raw));
        } catch (CharacterCodingException e) {
            throw new InvalidBlobKeyException("a path segment must be valid Unicode text");
        }
        StringBuilder out = new StringBuilder(bytes.remaining());
        while (bytes.hasRemaining()) {
            int b = bytes.get() & 0xFF;
            if (b < 0x80 && isUnreserved((char) b)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    static String decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new InvalidBlobKeyException("a '%' must start a two-digit hex escape: " + encoded);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                throw new InvalidBlobKeyException("a key must be percent-encoded ASCII: " + encoded);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidBlobKeyException("a percent-encoded segment must be UTF-8: " + encoded);
        }
    }
}
