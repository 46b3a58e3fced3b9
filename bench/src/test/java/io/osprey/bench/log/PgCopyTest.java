package io.osprey.bench.log;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PgCopyTest {

    @Test
    void textFormatEscapesBackslashesLineBreaksAndTabsAndWritesNullAsBackslashN() {
        assertThat(PgCopy.field(new StringBuilder(), "a\\b\nc\r\td").toString()).isEqualTo("a\\\\b\\nc\\r\\td");
        assertThat(PgCopy.field(new StringBuilder(), null).toString()).isEqualTo("\\N");
    }

    @Test
    void aPlainRowHasElevenTabSeparatedFields() {
        LogLine line = new LogLine("acme.data.ingest", "flow", "exec", null, null, 0, "schedule", "INFO",
                1_748_736_000_123L, "scheduler", "line one\n\tat two");
        String row = new String(PgCopy.plainRows(List.of(line)), StandardCharsets.UTF_8);
        assertThat(row).isEqualTo("acme.data.ingest\tflow\texec\t\\N\t\\N\t0\tschedule\tINFO\t2025-06-01T00:00:00.123Z"
                + "\tscheduler\tline one\\n\\tat two\n");
    }

    @Test
    void ingestBodiesAreOneObjectPerLineOrAnArray() {
        LogLine line = new LogLine("acme.data.ingest", "flow", "exec", "task", "run", 1, null, "WARN",
                1_748_736_000_000L, "WorkerThread-1", "say \"hi\"");
        String ndjson = new String(OspreyLogApi.body(List.of(line, line), OspreyLogApi.Format.NDJSON),
                StandardCharsets.UTF_8);
        assertThat(ndjson.split("\n")).hasSize(2);
        assertThat(ndjson).endsWith("}\n").doesNotContain("triggerId")
                .contains("\"timestamp\":\"2025-06-01T00:00:00Z\"").contains("\"message\":\"say \\\"hi\\\"\"");
        String json = new String(OspreyLogApi.body(List.of(line), OspreyLogApi.Format.JSON), StandardCharsets.UTF_8);
        assertThat(json).startsWith("[{\"namespace\":\"acme.data.ingest\"").endsWith("}]");
    }
}
