package io.osprey.query.log;

import io.osprey.query.QuerySide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A query side whose log index cannot open does not start: it used to start, report UP and acknowledge lines that
 * never became searchable, retrying the index for ever.
 */
class LogIndexStartTest {

    @Test
    void anIndexDirectoryThatIsAFileStopsTheStartNamingTheSetting(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        assertThatThrownBy(() -> QuerySide.start("--osprey.logs.index.dir=" + file))
                .hasStackTraceContaining("cannot open the log index in " + file)
                .hasStackTraceContaining("osprey.logs.index.dir");
    }

    @Test
    void aSecondNodeOnTheSameIndexDoesNotStart(@TempDir Path dir) {
        QuerySide first = QuerySide.start("--osprey.logs.index.dir=" + dir);
        try {
            assertThatThrownBy(() -> QuerySide.start("--osprey.logs.index.dir=" + dir))
                    .hasStackTraceContaining("osprey.logs.index.dir")
                    .hasStackTraceContaining("LockObtainFailedException");
        } finally {
            first.close();
        }
    }

    @Test
    void aBadSettingStopsTheStartNamingItsKey() {
        assertThatThrownBy(() -> QuerySide.start("--osprey.logs.index.ram-buffer-mb=0"))
                .hasStackTraceContaining("osprey.logs.index.ram-buffer-mb must be more than 0");
        assertThatThrownBy(() -> QuerySide.start("--osprey.logs.query.follow-heartbeat=0s"))
                .hasStackTraceContaining("osprey.logs.query.follow-heartbeat must be more than 0");
        assertThatThrownBy(() -> QuerySide.start("--osprey.logs.index.day-partition-window=12h"))
                .hasStackTraceContaining("osprey.logs.index.day-partition-window must be a whole number of days");
    }
}
