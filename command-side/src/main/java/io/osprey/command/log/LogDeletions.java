package io.osprey.command.log;

import io.osprey.command.dispatch.RequestMetadata;
import io.osprey.events.execution.ReservedExecutionIds;
import io.osprey.events.EventClock;
import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import io.osprey.events.log.LogsDeleted;
import io.osprey.events.validation.IsoInstant;
import io.osprey.events.validation.Violations;
import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Deletes log lines by appending one {@link LogsDeleted} (the read side drops the matching lines): those of one
 * execution (optionally one task, task run or attempt), or for retention those matching a filter, which must
 * name at least one criterion. Every parameter is checked first (400 naming it); replies after commit.
 */
@Component
public class LogDeletions {

    static final String AT_LEAST_ONE = "namespace, flowId, levels or before";

    private final LogEvents events;
    private final Clock clock = EventClock.utc();

    public LogDeletions(LogEvents events) {
        this.events = events;
    }

    public LogDeletionReply ofExecution(String tenant, String executionId, String taskId, String taskRunId,
                                        String attempt, RequestMetadata metadata) {
        Violations v = new Violations();
        v.tenant("tenant", tenant);
        if (v.id("executionId", executionId) && ReservedExecutionIds.isReserved(executionId)) {
            v.add("executionId", "reserved", "executionId " + executionId + " names the log search, not an execution:"
                    + " no line can have it");
        }
        optionalId(v, "taskId", taskId);
        optionalId(v, "taskRunId", taskRunId);
        Integer attemptNumber = attempt(v, attempt);
        v.throwIfAny();
        return append(new LogsDeleted(tenant, executionId, taskId, taskRunId, attemptNumber, null, null, null, null,
                clock.instant()), metadata);
    }

    /**
     * @param levels each element a level or several, comma-separated (repeated and comma-separated both work)
     */
    public LogDeletionReply matching(String tenant, String namespace, String flowId, List<String> levels, String before,
                                     RequestMetadata metadata) {
        Violations v = new Violations();
        v.tenant("tenant", tenant);
        if (namespace == null && flowId == null && levels == null && before == null) {
            v.add("criteria", "required", "at least one of " + AT_LEAST_ONE + " is required: logs are never deleted "
                    + "without a criterion");
        }
        if (namespace != null) {
            v.namespace("namespace", namespace);
        }
        if (flowId != null) {
            v.flowId("flowId", flowId);
        }
        List<LogLevel> levelList = levels(v, levels);
        Instant beforeInstant = before(v, before);
        v.throwIfAny();
        return append(new LogsDeleted(tenant, null, null, null, null, namespace, flowId, levelList, beforeInstant,
                clock.instant()), metadata);
    }

    private LogDeletionReply append(LogsDeleted deleted, RequestMetadata metadata) {
        GenericEventMessage<LogsDeleted> event = new GenericEventMessage<>(deleted, metadata.toMetaData());
        return new LogDeletionReply(events.publish(List.of(event), () -> { }, position -> position));
    }

    private static void optionalId(Violations v, String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            v.add(field, "pattern", field + " must not be empty: leave it out");
            return;
        }
        v.id(field, value);
    }

    private static Integer attempt(Violations v, String attempt) {
        if (attempt == null) {
            return null;
        }
        if (!Violations.ASCII_INTEGER.matcher(attempt).matches()) {
            // Java's parsing takes a sign, spaces (after trim) and any Unicode digit: "+1" or a fullwidth 1 deleted attempt 1
            v.add("attempt", "type", "attempt must be an integer of ASCII digits, got '" + attempt + "'");
            return null;
        }
        try {
            int value = Integer.parseInt(attempt);
            if (value < 0) {
                v.add("attempt", "min", "attempt must be at least 0");
                return null;
            }
            return value;
        } catch (NumberFormatException e) {
            v.add("attempt", "range", "attempt must be at most " + Integer.MAX_VALUE + ", got " + attempt);
            return null;
        }
    }

    private static List<LogLevel> levels(Violations v, List<String> levels) {
        if (levels == null) {
            return null;
        }
        Set<LogLevel> found = EnumSet.noneOf(LogLevel.class);
        for (String value : levels) {
            for (String name : value.split(",", -1)) {
                try {
                    found.add(LogLevel.valueOf(name.trim().toUpperCase(Locale.ROOT))); // as minLevel in searches
                } catch (IllegalArgumentException unknown) {
                    v.add("levels", "enum", "levels must be among TRACE, DEBUG, INFO, WARN, ERROR, got '" + name + "'");
                    return null;
                }
            }
        }
        if (found.isEmpty()) {
            v.add("levels", "enum", "levels must name at least one of TRACE, DEBUG, INFO, WARN, ERROR");
            return null;
        }
        return new ArrayList<>(found);
    }

    private static Instant before(Violations v, String before) {
        if (before == null) {
            return null;
        }
        Instant instant = IsoInstant.parse(before);
        if (instant == null) {
            v.add("before", "format", "before must be an ISO-8601 instant, like 2026-11-26T10:15:30Z");
            return null;
        }
        if (!LogLine.timestampInRange(instant)) {
            v.add("before", "range", "before must be between " + LogLine.EARLIEST_TIMESTAMP + " and "
                    + LogLine.LATEST_TIMESTAMP);
            return null;
        }
        return instant;
    }
}
