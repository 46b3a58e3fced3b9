package io.osprey.command.log;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One broken rule of a log ingest request, as a {@code FieldViolation} plus the line it is on.
 *
 * @param field   {@code [i].name}, the JSON path of the field within the batch (i counts log lines from 0),
 *                {@code [i]} for a whole line, or {@code body}
 * @param rule    a stable machine-readable name (required, pattern, max-length, enum, format, type, min,
 *                unknown-field, duplicate-field, malformed-json, ndjson, min-items...)
 * @param message the human explanation, starting with the line number
 * @param line    the 1-based number of the log line in the batch (the array element, or the NDJSON record,
 *                blank lines not counted); absent for a rule of the whole body
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LineViolation(String field, String rule, String message, Integer line) {
}
