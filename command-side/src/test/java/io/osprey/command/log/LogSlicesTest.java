package io.osprey.command.log;

import io.osprey.events.log.LogBatchAppended;
import io.osprey.events.log.LogBatchCodec;
import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a batch is cut into events: by lines, and by characters so that no event grows with a batch of long lines. */
class LogSlicesTest {

    private final LogIngest ingest = new LogIngest(null, null,
            new LogIngestLimits(null, null, 400_000, null, null, null));

    @Test
    void shortLinesGoAThousandToAnEvent() {
        List<EventMessage<LogBatchAppended>> slices = slice(lines(2500, 100));

        assertThat(slices).extracting(slice -> slice.getPayload().lineCount()).containsExactly(1000, 1000, 500);
        assertThat(slices).extracting(slice -> slice.getPayload().firstLine()).containsExactly(0, 1000, 2000);
    }

    @Test
    void longLinesGoAsManyToAnEventAsFitItsCharacters() {
        List<LogLine> lines = lines(10, 60_000);
        long perLine = lines.get(0).textLength();

        List<EventMessage<LogBatchAppended>> slices = slice(lines);

        int fit = (int) (LogBatchCodec.MAX_SLICE_CHARS / perLine);
        assertThat(fit).isEqualTo(4);
        assertThat(slices).extracting(slice -> slice.getPayload().lineCount()).containsExactly(4, 4, 2);
        assertThat(slices).extracting(slice -> slice.getPayload().firstLine()).containsExactly(0, 4, 8);
        assertThat(slices).extracting(slice -> slice.getPayload().slice()).containsExactly(0, 1, 2);
        List<LogLine> decoded = new ArrayList<>();
        slices.forEach(slice -> decoded.addAll(LogBatchCodec.decode(slice.getPayload().encodedLines())));
        assertThat(decoded).isEqualTo(lines);
    }

    @Test
    void aLineLongerThanAnEventsCharactersGoesAlone() {
        List<LogLine> lines = new ArrayList<>(lines(1, 100));
        lines.addAll(lines(1, LogBatchCodec.MAX_SLICE_CHARS + 1));
        lines.addAll(lines(1, 100));

        assertThat(slice(lines)).extracting(slice -> slice.getPayload().lineCount()).containsExactly(1, 1, 1);
    }

    private List<EventMessage<LogBatchAppended>> slice(List<LogLine> lines) {
        return ingest.slices("main", "batch", lines, MetaData.emptyInstance());
    }

    private static List<LogLine> lines(int count, int messageChars) {
        List<LogLine> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(new LogLine("company.team", "flow", "execution", "task", "run", 0, null, LogLevel.INFO,
                    Instant.parse("2026-11-26T10:00:00Z").plusMillis(i), "worker", "x".repeat(messageChars)));
        }
        return lines;
    }
}
