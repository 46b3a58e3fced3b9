package io.osprey.bench.blob;

import java.io.InputStream;

/** Deterministic pseudo-random bytes (xorshift64 seeded per blob), generated as they are read: never held whole. */
final class Payload extends InputStream {

    private final long size;
    private long position;
    private long state;

    Payload(long size, long seed) {
        this.size = size;
        this.state = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        if (state == 0) {
            state = 1;
        }
    }

    static byte[] bytes(int size, long seed) {
        byte[] out = new byte[size];
        new Payload(size, seed).read(out, 0, size);
        return out;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        for (int i = 0; i < n; i++) {
            long at = position + i;
            if ((at & 7) == 0) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
            }
            buffer[offset + i] = (byte) (state >>> ((at & 7) * 8));
        }
        position += n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, size - position);
    }
}
