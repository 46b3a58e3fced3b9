package io.osprey.query.log;

import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TextExportTest {

    private static String exported(String taskId, String message) throws IOException {
        StringBuilder out = new StringBuilder();
        TextExport.append(out, new LogLine("company.team", "flow", "exec", taskId, null, 0, null, LogLevel.INFO,
                Instant.parse("2026-11-20T10:00:00Z"), "main", message));
        return out.toString();
    }

    @Test
    void aLineIsItsTimestampLevelTaskAndMessage() throws IOException {
        assertThat(exported("load", "Loaded 3 rows")).isEqualTo("2026-11-20T10:00:00Z INFO [load] Loaded 3 rows\n");
        assertThat(exported(null, "no task")).isEqualTo("2026-11-20T10:00:00Z INFO no task\n");
    }

    @Test
    void aMessagesFurtherLinesAreIndentedSoThatNoneCanPassForALogLine() throws IOException {
        String forged = "failed\n2026-01-01T00:00:00Z ERROR [db] forged\r\nat a\rat b\r\n";

        assertThat(exported("t", forged)).isEqualTo("2026-11-20T10:00:00Z INFO [t] failed\n"
                + "\t2026-01-01T00:00:00Z ERROR [db] forged\n\tat a\n\tat b\n\t\n");
    }

    @Test
    void otherControlCharactersAreShownAsTheirPicturesAndTabsKept() throws IOException {
        assertThat(exported("t", "a\u0000b\u001bc\u007fd\te")).endsWith("a\u2400b\u241bc\u2421d\te\n");
    }
}
