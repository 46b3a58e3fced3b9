package io.osprey.command.web;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A JSON request body, counted as it is read: one byte past the limit fails the read (whatever Content-Length
 * said), and no more than that is read. Its text is checked as it passes ({@link JsonTextCheck}); a read that meets
 * text that breaks the rules fails with {@link JsonTextCheck.MalformedJsonTextException}. Optionally digests what
 * passes. An {@link InputStream}, not a filter, so that its inherited {@code skip} reads through
 * {@link #read(byte[], int, int)} and is counted too.
 */
public final class BoundedInput extends InputStream {

    private final InputStream in;
    private final long max;
    private final MessageDigest digest;
    private final JsonTextCheck text = new JsonTextCheck();
    private long count;
    private boolean exceeded;

    public BoundedInput(InputStream in, long max, MessageDigest digest) {
        this.in = in;
        this.max = max;
        this.digest = digest;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (exceeded) {
            throw new LimitExceededException(max);
        }
        int n = in.read(buffer, offset, (int) Math.min(length, max - count + 1));
        if (n > 0) {
            count += n;
            if (count > max) {
                exceeded = true;
                throw new LimitExceededException(max);
            }
            text.check(buffer, offset, n);
            if (digest != null) {
                digest.update(buffer, offset, n);
            }
        } else if (n < 0) {
            text.end();
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** A read went past the limit; every later read fails the same way. */
    public static final class LimitExceededException extends IOException {
        LimitExceededException(long max) {
            super("the body is over its limit of " + max + " bytes");
        }
    }

    /** Whether a read went past the limit. */
    public boolean exceeded() {
        return exceeded;
    }

    /** The SHA-256 of what was read, in hex; null when not digesting. */
    public String digestHex() {
        return digest == null ? null : HexFormat.of().formatHex(digest.digest());
    }
}
