package io.osprey.events.log;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The encoding of log lines inside {@link LogBatchAppended}: a compact binary form, deflated at the
 * fastest level, then Base64 so that it travels in a JSON event. Ids, namespaces and thread names repeat
 * from line to line, so each distinct string is written once and referred to by number afterwards.
 *
 * <pre>
 * version byte (1), line count (varint), then per line:
 *   namespace, flowId, executionId, taskId, taskRunId (strings), attemptNumber (varint), triggerId (string),
 *   level (byte), epoch second (zig-zag varlong delta to the previous line), nano (varint), thread (string),
 *   message (UTF-8 length varint + bytes, never shared)
 * string: varint 0 = null, 1 = new string (UTF-8 length varint + bytes), n >= 2 = the (n - 2)th new string
 * </pre>
 */
public final class LogBatchCodec {

    /**
     * Characters of text ({@link LogLine#textLength()}) one encoded slice holds at most, whatever its line count:
     * an event is held whole, several times over, by the store's cache and fetches and by the index, so its size
     * must not follow a client's batch (a line longer than this goes alone).
     */
    public static final int MAX_SLICE_CHARS = 256 * 1024;
    private static final int VERSION = 1;

    private LogBatchCodec() {
    }

    public static String encode(List<LogLine> lines) {
        Writer writer = new Writer(lines.size() * 192);
        writer.write(VERSION);
        writer.varint(lines.size());
        long previousSecond = 0;
        for (LogLine line : lines) {
            writer.shared(line.namespace());
            writer.shared(line.flowId());
            writer.shared(line.executionId());
            writer.shared(line.taskId());
            writer.shared(line.taskRunId());
            writer.varint(line.attemptNumber());
            writer.shared(line.triggerId());
            writer.write(line.level().ordinal());
            long second = line.timestamp().getEpochSecond();
            writer.varlong(zigZag(second - previousSecond));
            previousSecond = second;
            writer.varint(line.timestamp().getNano());
            writer.shared(line.thread());
            writer.bytes(line.message().getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(deflate(writer.buffer, writer.size));
    }

    public static List<LogLine> decode(String encoded) {
        Reader reader = new Reader(inflate(Base64.getDecoder().decode(encoded)));
        int version = reader.read();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown log batch encoding version " + version);
        }
        int count = reader.varint();
        List<LogLine> lines = new ArrayList<>(count);
        long second = 0;
        for (int i = 0; i < count; i++) {
            String namespace = reader.shared();
            String flowId = reader.shared();
            String executionId = reader.shared();
            String taskId = reader.shared();
            String taskRunId = reader.shared();
            int attempt = reader.varint();
            String triggerId = reader.shared();
            LogLevel level = LogLevel.ofOrdinal(reader.read());
            second += unZigZag(reader.varlong());
            Instant timestamp = Instant.ofEpochSecond(second, reader.varint());
            String thread = reader.shared();
            String message = reader.string();
            lines.add(new LogLine(namespace, flowId, executionId, taskId, taskRunId, attempt, triggerId, level,
                    timestamp, thread, message));
        }
        return lines;
    }

    private static byte[] deflate(byte[] raw, int length) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        try {
            deflater.setInput(raw, 0, length);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(length / 4 + 64);
            out.write(length >>> 24);
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
            byte[] buffer = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] compressed) {
        int length = (compressed[0] & 0xff) << 24 | (compressed[1] & 0xff) << 16 | (compressed[2] & 0xff) << 8
                | (compressed[3] & 0xff);
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed, 4, compressed.length - 4);
            byte[] raw = new byte[length];
            int read = 0;
            while (read < length) {
                int n = inflater.inflate(raw, read, length - read);
                if (n == 0 && (inflater.finished() || inflater.needsInput())) {
                    throw new IllegalArgumentException("truncated log batch");
                }
                read += n;
            }
            return raw;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt log batch", e);
        } finally {
            inflater.end();
        }
    }

    private static long zigZag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static long unZigZag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }

    /** A growable byte buffer: ByteArrayOutputStream locks on every byte, and a line writes a dozen varints. */
    private static final class Writer {
        byte[] buffer;
        int size;
        final Map<String, Integer> seen = new HashMap<>();

        Writer(int capacity) {
            buffer = new byte[Math.max(64, capacity)];
        }

        void write(int b) {
            if (size == buffer.length) {
                grow(1);
            }
            buffer[size++] = (byte) b;
        }

        private void grow(int needed) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + needed));
        }

        void shared(String value) {
            if (value == null) {
                varint(0);
                return;
            }
            Integer index = seen.get(value);
            if (index != null) {
                varint(index + 2);
                return;
            }
            seen.put(value, seen.size());
            varint(1);
            bytes(value.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(byte[] bytes) {
            varint(bytes.length);
            if (size + bytes.length > buffer.length) {
                grow(bytes.length);
            }
            System.arraycopy(bytes, 0, buffer, size, bytes.length);
            size += bytes.length;
        }

        void varint(int value) {
            varlong(value & 0xffffffffL);
        }

        void varlong(long value) {
            while ((value & ~0x7FL) != 0) {
                write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            write((int) value);
        }
    }

    private static final class Reader {
        final byte[] raw;
        int position;
        final List<String> seen = new ArrayList<>();

        Reader(byte[] raw) {
            this.raw = raw;
        }

        int read() {
            return position < raw.length ? raw[position++] & 0xff : -1;
        }

        String shared() {
            int code = varint();
            if (code == 0) {
                return null;
            }
            if (code == 1) {
                String value = string();
                seen.add(value);
                return value;
            }
            return seen.get(code - 2);
        }

        String string() {
            int length = varint();
            if (length < 0 || length > raw.length - position) {
                throw new IllegalArgumentException("truncated log batch");
            }
            String value = new String(raw, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        int varint() {
            return (int) varlong();
        }

        long varlong() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = read();
                if (b < 0) {
                    throw new IllegalArgumentException("truncated log batch");
                }
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("corrupt varint in log batch");
        }
    }
}
