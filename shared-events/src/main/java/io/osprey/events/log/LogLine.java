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

    /** The earliest timestamp a line may have: the first instant of year 0000, as ISO-8601 writes four digits. */
    public static final Instant EARLIEST_TIMESTAMP = Instant.parse("0000-01-01T00:00:00Z");
    /** The latest timestamp a line may have: the last instant of year 9999. */
    public static final Instant LATEST_TIMESTAMP = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** Whether a line may carry this timestamp (see {@link #EARLIEST_TIMESTAMP} and {@link #LATEST_TIMESTAMP}). */
    public static boolean timestampInRange(Instant timestamp) {
        return !timestamp.isBefore(EARLIEST_TIMESTAMP) && !timestamp.isAfter(LATEST_TIMESTAMP);
    }

    /** Characters of text the line carries: what it weighs in an event and, decoded, in memory. */
    public long textLength() {
        return length(namespace) + length(flowId) + length(executionId) + length(taskId) + length(taskRunId)
                + length(triggerId) + length(thread) + length(message);
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }
}
