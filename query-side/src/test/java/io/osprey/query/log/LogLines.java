package io.osprey.query.log;

import io.osprey.events.log.LogBatchAppended;
import io.osprey.events.log.LogBatchCodec;
import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Log lines and batches for tests, as command-side would write them. */
final class LogLines {

    private LogLines() {
    }

    static LogLine line(String namespace, String executionId, String taskId, LogLevel level, Instant at, String message) {
        return new LogLine(namespace, "flow", executionId, taskId, taskId == null ? null : taskId + "-run", 0, null, level,
                at, "worker-1", message);
    }

    static LogBatchAppended batch(String tenant, List<LogLine> lines) {
        return new LogBatchAppended(tenant, UUID.randomUUID().toString(), 0, lines.size(), 0,
                lines.stream().map(LogLine::timestamp).min(Comparator.naturalOrder()).orElseThrow(),
                lines.stream().map(LogLine::timestamp).max(Comparator.naturalOrder()).orElseThrow(),
                LogBatchCodec.encode(lines));
    }
}
