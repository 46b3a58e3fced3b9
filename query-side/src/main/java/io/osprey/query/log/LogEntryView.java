package io.osprey.query.log;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;

import java.time.Instant;

/** A log line as the query API returns it, shaped like Kestra's {@code LogEntry}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogEntryView(String tenantId, String namespace, String flowId, String executionId, String taskId,
                           String taskRunId, int attemptNumber, String triggerId, Instant timestamp, LogLevel level,
                           String thread, String message) {

    static LogEntryView of(String tenant, LogLine line) {
        return new LogEntryView(tenant, line.namespace(), line.flowId(), line.executionId(), line.taskId(),
                line.taskRunId(), line.attemptNumber(), line.triggerId(), line.timestamp(), line.level(),
                line.thread(), line.message());
    }
}
