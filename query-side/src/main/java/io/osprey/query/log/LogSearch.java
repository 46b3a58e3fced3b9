package io.osprey.query.log;

import io.osprey.events.log.LogLevel;

import java.time.Instant;

/**
 * The criteria of a log search, validated. {@code text} null means every line; {@code cursor}, when given,
 * replaces page-based paging.
 */
record LogSearch(LogText text, String namespace, String flowId, String executionId, String taskId, String taskRunId,
                 Integer attempt, LogLevel minLevel, Instant startDate, Instant endDate, boolean newestFirst,
                 int page, int size, LogCursor cursor) {
}
