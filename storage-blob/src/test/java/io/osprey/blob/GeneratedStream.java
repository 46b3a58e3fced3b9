package io.osprey.blob;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A deterministic stream of pseudo-random bytes made on the fly, of a length the reader does not know
 * in advance. It hashes what it hands out, independently of the stores' own digesting, and can fail at a
 * chosen position to play a client whose upload breaks.
 */
public final class GeneratedStream extends InputStream {

    private final long size;
    private final long failAt;
    private final MessageDigest sha256 = sha256();
    private long position;
    private long state;

    private GeneratedStream(long size, long seed, long failAt) {
        this.size = size;
        this.state = seed;
        this.failAt = failAt;
    }

    public static GeneratedStream of(long size, long seed) {
        return new GeneratedStream(size, seed, Long.MAX_VALUE);
    }

    /** Throws an IOException once {@code failAt} bytes have been read. */
    public static GeneratedStream failingAt(long size, long seed, long failAt) {
        return new GeneratedStream(size, seed, failAt);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (position == failAt) {
            throw new IOException("generated stream broken on purpose at byte " + position);
        }
        if (position == size) {
            return -1;
        }
        int n = (int) Math.min(length, Math.min(size, failAt) - position);
        for (int i = offset; i < offset + n; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            buffer[i] = (byte) (state >>> 56);
        }
        sha256.update(buffer, offset, n);
        position += n;
        return n;
    }

    /** The SHA-256 of everything handed out so far. */
    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Reads a stream to its end, returning its SHA-256 and length without keeping its bytes. */
    public static Digest digest(InputStream in) throws IOException {
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
                size += n;
            }
        }
        return new Digest(size, HexFormat.of().formatHex(sha256.digest()));
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    public record Digest(long size, String sha256) {
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
