package io.osprey.blob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Counts and hashes (SHA-256) the bytes read through it, so a put learns size and checksum in the one
 * pass that stores them. It also keeps the first failure of the wrapped stream: a client library that
 * reads it (minio) may wrap that failure like its own network errors, and a put must tell "the caller's
 * stream broke" from "the store failed".
 */
public final class DigestingInputStream extends FilterInputStream {

    private final MessageDigest sha256;
    private long size;
    private IOException sourceFailure;
    private byte[] digest;

    public DigestingInputStream(InputStream source) {
        super(source);
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (digest != null) {
            throw new IllegalStateException("read after the digest was taken");
        }
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (IOException e) {
            if (sourceFailure == null) {
                sourceFailure = e;
            }
            throw e;
        }
        if (n > 0) {
            sha256.update(buffer, offset, n);
            size += n;
        }
        return n;
    }

    /** Skipped bytes are part of the blob too, so they are read and hashed. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readLimit) {
        // unsupported: a reset would hash bytes twice
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset is not supported while digesting");
    }

    public long size() {
        return size;
    }

    /** The SHA-256 of everything read; once asked for, the stream must not be read further. */
    public byte[] sha256() {
        if (digest == null) {
            digest = sha256.digest();
        }
        return digest.clone();
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256());
    }

    /** The wrapped stream's first failure, or null. */
    public IOException sourceFailure() {
        return sourceFailure;
    }
}
