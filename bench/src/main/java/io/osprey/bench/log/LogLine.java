package io.osprey.bench.log;

import java.time.Instant;

/**
 * One generated log line, with the fields of Osprey's ingest API and Kestra's {@code LogEntry}. A trigger's line
 * has no task ({@code taskId} and {@code taskRunId} are null); {@code triggerId} is null on task lines.
 */
record LogLine(String namespace, String flowId, String executionId, String taskId, String taskRunId,
               int attemptNumber, String triggerId, String level, long timestampMillis, String thread,
               String message) {

    /** ISO-8601 instant, millisecond precision: {@code 2025-06-01T00:00:01.234Z}. */
    String isoTimestamp() {
        return Instant.ofEpochMilli(timestampMillis).toString();
    }
}
