package io.osprey.events.log;

import java.time.Instant;

/**
 * One log line as a task wrote it, named as in Kestra's {@code LogEntry}. A line belongs to an execution
 * (then {@code executionId} is set, and {@code taskId}/{@code taskRunId} when a task wrote it) or to a
 * trigger ({@code triggerId}); {@code attemptNumber} counts from 0.
 */
public record LogLine(String namespace, String flowId, String executionId, String taskId, String taskRunId,
                      int attemptNumber, String triggerId, LogLevel level, Instant timestamp, String thread,
                      String message) {
}
