package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The line stored with each document: indexes written before keep being read, so its bytes must not change. */
class LogFieldsTest {

    private static final List<LogLine> LINES = List.of(
            new LogLine("company.team", "etl", "exec-1", "load", "load-run", 0, null, LogLevel.INFO,
                    Instant.parse("2026-11-20T10:00:00.123456789Z"), "worker-1", "Loaded row_count=1234 from s3://bucket/key"),
            new LogLine("company.team", "etl", null, null, null, 3, "schedule", LogLevel.WARN,
                    Instant.parse("1969-07-20T20:17:40Z"), null, ""),
            new LogLine("équipe.données", "flüsse", "exec-2", "tâche", "tâche-run", 70_000, null, LogLevel.ERROR,
                    Instant.parse("2026-11-20T10:00:00Z"), "thread-é", "Échec 🚀 \u4e2d\u6587 " + "x".repeat(5000)),
            new LogLine("a", "b", "c", "d", "e", Integer.MAX_VALUE, "f", LogLevel.TRACE,
                    Instant.parse("2026-11-20T10:00:00Z"), "g", "an unpaired surrogate \ud800 stays as Lucene wrote it"));

    @Test
    void writesTheBytesLuceneDataOutputWrote() throws IOException {
        for (LogLine line : LINES) {
            assertThat(encode(line)).as(line.message()).isEqualTo(asLuceneWroteIt(line));
        }
    }

    @Test
    void timesAreMicrosecondsSaturatedAtTheEndsOfALong() {
        assertThat(LogFields.micros(Instant.parse("2026-11-26T10:15:30.123456789Z")))
                .isEqualTo(Instant.parse("2026-11-26T10:15:30Z").getEpochSecond() * 1_000_000L + 123_456);
        assertThat(LogFields.micros(Instant.ofEpochSecond(-1, 999_999_000))).isEqualTo(-1);
        assertThat(LogFields.micros(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(LogFields.micros(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
        assertThat(LogFields.micros(Instant.parse("+300000-01-01T00:00:00Z"))).isEqualTo(Long.MAX_VALUE);
        assertThat(LogFields.micros(Instant.parse("-300000-01-01T00:00:00Z"))).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void readsBackWhatItWrote() {
        for (LogLine line : LINES.subList(0, 3)) {
            assertThat(LogFields.decode(new BytesRef(encode(line)))).isEqualTo(line);
        }
    }

    /** One small writer for all lines, reused as {@link LineDocument} reuses it: each line's bytes, whatever came before. */
    private final LogFields.LineWriter writer = new LogFields.LineWriter(8);

    private byte[] encode(LogLine line) {
        writer.reset();
        LogFields.encode(line, writer);
        return Arrays.copyOf(writer.bytes(), writer.size());
    }

    /** The encoding of earlier versions, through Lucene's own DataOutput. */
    private static byte[] asLuceneWroteIt(LogLine line) throws IOException {
        ByteBuffersDataOutput out = new ByteBuffersDataOutput();
        out.writeByte((byte) (bit(line.executionId(), 1) | bit(line.taskId(), 2) | bit(line.taskRunId(), 4)
                | bit(line.triggerId(), 8) | bit(line.thread(), 16)));
        out.writeString(line.namespace());
        out.writeString(line.flowId());
        optional(out, line.executionId());
        optional(out, line.taskId());
        optional(out, line.taskRunId());
        out.writeVInt(line.attemptNumber());
        optional(out, line.triggerId());
        out.writeByte((byte) line.level().ordinal());
        out.writeZLong(line.timestamp().getEpochSecond());
        out.writeVInt(line.timestamp().getNano());
        optional(out, line.thread());
        out.writeString(line.message());
        return out.toArrayCopy();
    }

    private static int bit(String value, int bit) {
        return value == null ? 0 : bit;
    }

    private static void optional(ByteBuffersDataOutput out, String value) throws IOException {
        if (value != null) {
            out.writeString(value);
        }
    }
}
