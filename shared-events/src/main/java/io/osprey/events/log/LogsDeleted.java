package io.osprey.events.log;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * Log lines of a tenant matching every criterion given (null criteria match all) were deleted: those of
 * one execution (optionally one task, task run or attempt), or for retention those of a namespace
 * (with its sub-namespaces), a flow, some levels, and written before an instant.
 */
@Revision("1")
public record LogsDeleted(String tenant, String executionId, String taskId, String taskRunId, Integer attemptNumber,
                          String namespace, String flowId, List<LogLevel> levels, Instant before, Instant deletedAt) {

    public LogsDeleted {
        levels = levels == null ? null : List.copyOf(levels);
    }
}
