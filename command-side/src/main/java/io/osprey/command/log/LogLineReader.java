package io.osprey.command.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.osprey.command.web.BoundedInput;
import io.osprey.command.web.JsonTextCheck;
import io.osprey.events.execution.ReservedExecutionIds;
import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import io.osprey.events.validation.FieldViolation;
import io.osprey.events.validation.InvalidInputException;
import io.osprey.events.validation.IsoInstant;
import io.osprey.events.validation.Violations;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a batch of log lines from a request body as it arrives — a JSON array, or NDJSON (one JSON object per
 * line, blank lines ignored) — with Jackson's streaming parser straight into {@link LogLine}s, and checks every
 * line (Kestra's {@code LogEntry} field names and the name rules of {@link Violations}) before anything is
 * written. Bytes are counted as they are read and the line count as lines start, so that an oversized batch is
 * refused (413) without being read to its end. A batch with a bad line is refused whole (400), naming each bad
 * line (up to {@value #MAX_REPORTED} violations).
 */
@Component
public class LogLineReader {

    /** How the body holds its lines. */
    public enum Format { JSON_ARRAY, NDJSON }

    /**
     * The lines of a valid batch, in order.
     *
     * @param sha256 the SHA-256 of the raw body (hex), when asked for; null otherwise
     */
    public record Batch(List<LogLine> lines, String sha256) {
    }

    static final int MAX_REPORTED = 100;
    static final int THREAD_MAX_LENGTH = 200;
    static final String TIMESTAMP_RANGE = "timestamp must be between " + LogLine.EARLIEST_TIMESTAMP + " and "
            + LogLine.LATEST_TIMESTAMP;

    // field numbers: the strings first, in the order of the text array of a line being read
    private static final int NAMESPACE = 0;
    private static final int FLOW_ID = 1;
    private static final int EXECUTION_ID = 2;
    private static final int TASK_ID = 3;
    private static final int TASK_RUN_ID = 4;
    private static final int TRIGGER_ID = 5;
    private static final int THREAD = 6;
    private static final int MESSAGE = 7;
    private static final int STRINGS = 8;
    private static final int ATTEMPT_NUMBER = 8;
    private static final int LEVEL = 9;
    private static final int TIMESTAMP = 10;
    private static final String[] NAMES = {"namespace", "flowId", "executionId", "taskId", "taskRunId", "triggerId",
            "thread", "message", "attemptNumber", "level", "timestamp"};

    private final JsonFactory json = JsonFactory.builder().build();
    private final LogIngestLimits limits;

    public LogLineReader(LogIngestLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads and checks a whole batch.
     *
     * @param declaredLength the request's Content-Length, -1 when unknown: a larger one is refused before reading
     * @param digest         whether to compute the body's SHA-256 (for an {@code Idempotency-Key})
     * @throws InvalidLogBatchException  a line (or the body) breaks a rule: 400
     * @throws LogBatchTooLargeException too many lines or bytes: 413
     */
    public Batch read(InputStream body, Format format, long declaredLength, boolean digest) {
        long maxBytes = limits.maxBytes().toBytes();
        if (declaredLength > maxBytes) {
            throw LogBatchTooLargeException.bytes(limits);
        }
        BoundedInput input = new BoundedInput(body, maxBytes, digest ? sha256() : null);
        Reading reading = new Reading(format);
        try (JsonParser parser = json.createParser(input)) {
            reading.all(parser);
        } catch (IOException e) {
            if (input.exceeded()) {
                throw LogBatchTooLargeException.bytes(limits);
            }
            reading.failed(e);
        }
        reading.throwIfInvalid();
        return new Batch(List.copyOf(reading.lines), input.digestHex());
    }

    /** The state of reading one batch. */
    private final class Reading {

        private final Format format;
        private final List<LogLine> lines = new ArrayList<>();
        private final List<LineViolation> violations = new ArrayList<>();
        // values already found valid, each kept once: lines of a batch repeat them, so each is checked once
        private final Map<String, String> namespaces = new HashMap<>();
        private final Map<String, String> flowIds = new HashMap<>();
        private final Map<String, String> ids = new HashMap<>();
        /** Log lines started so far. */
        private int count;
        private boolean inLine;
        /** Past the opening of the JSON array (NDJSON has none). */
        private boolean opened;
        private boolean afterLast;

        Reading(Format format) {
            this.format = format;
        }

        void all(JsonParser parser) throws IOException {
            JsonToken first = parser.nextToken();
            if (first == null) {
                body("required", "a body of log lines is required: a JSON array, or NDJSON sent as "
                        + "application/x-ndjson");
                return;
            }
            if (format == Format.JSON_ARRAY) {
                array(parser, first);
            } else {
                ndjson(parser, first);
            }
            if (count == 0 && violations.isEmpty()) {
                body("min-items", "a log batch must hold at least one line");
            }
        }

        private void array(JsonParser parser, JsonToken first) throws IOException {
            if (first != JsonToken.START_ARRAY) {
                body("type", "the body must be a JSON array of log lines (send NDJSON as application/x-ndjson)");
                return;
            }
            opened = true;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                entry(parser, token);
            }
            afterLast = true;
            if (parser.nextToken() != null) {
                body("malformed-json", "nothing may follow the array of log lines");
            }
        }

        private void ndjson(JsonParser parser, JsonToken first) throws IOException {
            opened = true;
            int previousEnd = 0;
            for (JsonToken token = first; token != null; token = parser.nextToken()) {
                int start = parser.currentTokenLocation().getLineNr();
                entry(parser, token);
                int end = parser.currentTokenLocation().getLineNr();
                if (start == previousEnd) {
                    add(count - 1, null, "ndjson", "each log line must be on a line of its own");
                } else if (end != start) {
                    add(count - 1, null, "ndjson", "a log line must be one JSON object on one line");
                }
                previousEnd = end;
            }
            afterLast = true;
        }

        /** One log line, starting at its first token. */
        private void entry(JsonParser parser, JsonToken token) throws IOException {
            if (count == limits.maxLines()) {
                throw LogBatchTooLargeException.lines(limits);
            }
            int index = count++;
            inLine = true;
            if (token != JsonToken.START_OBJECT) {
                add(index, null, "type", "a log line must be a JSON object");
                parser.skipChildren();
            } else {
                LogLine line = line(parser, index);
                if (line != null && violations.isEmpty()) {
                    lines.add(line);
                }
            }
            inLine = false;
        }

        /** The fields of one line, up to its closing brace; null when it breaks a rule (the violations are recorded). */
        private LogLine line(JsonParser parser, int index) throws IOException {
            String[] text = new String[STRINGS];
            int attemptNumber = 0;
            LogLevel level = null;
            Instant timestamp = null;
            int seen = 0;
            int broken = 0;
            int before = violations.size();
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken value = parser.nextToken();
                int field = field(name);
                if (field < 0) {
                    String shown = shown(name); // a name may be megabytes long: the problem must not echo it whole
                    add(index, shown, "unknown-field", "unknown field '" + shown + "'");
                    parser.skipChildren();
                    continue;
                }
                int bit = 1 << field;
                if ((seen & bit) != 0) {
                    add(index, name, "duplicate", "the field " + name + " appears more than once");
                    broken |= bit;
                    parser.skipChildren();
                    continue;
                }
                seen |= bit;
                boolean ok = true;
                if (field < STRINGS) {
                    if (value == JsonToken.VALUE_STRING) {
                        text[field] = parser.getText();
                    } else if (value != JsonToken.VALUE_NULL) {
                        ok = wrongType(parser, index, field, "a string");
                    }
                } else if (field == ATTEMPT_NUMBER) {
                    if (value == JsonToken.VALUE_NUMBER_INT) {
                        if (parser.getNumberType() != JsonParser.NumberType.INT || parser.getIntValue() < 0) {
                            ok = add(index, NAMES[field], parser.getNumberType() == JsonParser.NumberType.INT ? "min" : "range",
                                    "attemptNumber must be an integer from 0 to " + Integer.MAX_VALUE);
                        } else {
                            attemptNumber = parser.getIntValue();
                        }
                    } else if (value != JsonToken.VALUE_NULL) {
                        ok = wrongType(parser, index, field, "an integer");
                    }
                } else if (field == LEVEL) {
                    if (value == JsonToken.VALUE_STRING) {
                        level = level(parser.getText());
                        ok = level != null || add(index, NAMES[field], "enum",
                                "level must be one of TRACE, DEBUG, INFO, WARN, ERROR");
                    } else if (value != JsonToken.VALUE_NULL) {
                        ok = wrongType(parser, index, field, "a string");
                    }
                } else {
                    if (value == JsonToken.VALUE_STRING) {
                        timestamp = IsoInstant.parse(parser.getText());
                        if (timestamp == null) {
                            ok = add(index, NAMES[field], "format",
                                    "timestamp must be an ISO-8601 instant, like 2026-11-26T10:15:30.123Z");
                        } else if (!LogLine.timestampInRange(timestamp)) {
                            timestamp = null;
                            ok = add(index, NAMES[field], "range", TIMESTAMP_RANGE);
                        } else {
                            // kept to the microsecond, as PostgreSQL keeps Kestra's: what a search filters and sorts on
                            timestamp = timestamp.truncatedTo(ChronoUnit.MICROS);
                        }
                    } else if (value != JsonToken.VALUE_NULL) {
                        ok = wrongType(parser, index, field, "a string holding an ISO-8601 instant");
                    }
                }
                if (!ok) {
                    broken |= bit;
                }
            }
            String namespace = required(index, NAMESPACE, text, broken)
                    ? checked(namespaces, text[NAMESPACE], index, NAMESPACE, Violations::namespace) : null;
            String flowId = required(index, FLOW_ID, text, broken)
                    ? checked(flowIds, text[FLOW_ID], index, FLOW_ID, Violations::flowId) : null;
            if (text[EXECUTION_ID] == null && text[TRIGGER_ID] == null
                    && (broken & (1 << EXECUTION_ID | 1 << TRIGGER_ID)) == 0) {
                add(index, NAMES[EXECUTION_ID], "required", "executionId is required unless triggerId is given");
            }
            String executionId = optionalId(text, index, EXECUTION_ID);
            if (executionId != null && ReservedExecutionIds.isReserved(executionId)) {
                add(index, NAMES[EXECUTION_ID], "reserved", "executionId " + executionId + " names the log search "
                        + "(GET .../logs/" + executionId + "), so its lines could not be read");
            }
            String taskId = optionalId(text, index, TASK_ID);
            String taskRunId = optionalId(text, index, TASK_RUN_ID);
            String triggerId = optionalId(text, index, TRIGGER_ID);
            String thread = text[THREAD];
            // characters, as for the message
            if (thread != null && thread.length() > THREAD_MAX_LENGTH
                    && thread.codePointCount(0, thread.length()) > THREAD_MAX_LENGTH) {
                add(index, NAMES[THREAD], "max-length", "thread must be at most " + THREAD_MAX_LENGTH
                        + " characters, got " + thread.codePointCount(0, thread.length()));
            }
            String message = text[MESSAGE];
            // characters, not UTF-16 units: an emoji is one (counted only past the limit in units, which is rare)
            if (required(index, MESSAGE, text, broken) && message.length() > limits.maxMessageLength()
                    && message.codePointCount(0, message.length()) > limits.maxMessageLength()) {
                add(index, NAMES[MESSAGE], "max-length", "message must be at most " + limits.maxMessageLength()
                        + " characters, got " + message.codePointCount(0, message.length()));
            }
            if (level == null && (broken & 1 << LEVEL) == 0) {
                add(index, NAMES[LEVEL], "required", "level is required");
            }
            if (timestamp == null && (broken & 1 << TIMESTAMP) == 0) {
                add(index, NAMES[TIMESTAMP], "required", "timestamp is required");
            }
            if (violations.size() > before) {
                return null;
            }
            return new LogLine(namespace, flowId, executionId, taskId, taskRunId, attemptNumber, triggerId, level,
                    timestamp, thread, message);
        }

        private boolean wrongType(JsonParser parser, int index, int field, String expected) throws IOException {
            parser.skipChildren();
            return add(index, NAMES[field], "type", NAMES[field] + " must be " + expected);
        }

        /** Whether a required string is there; records its absence unless the field already broke another rule. */
        private boolean required(int index, int field, String[] text, int broken) {
            if (text[field] != null) {
                return true;
            }
            if ((broken & 1 << field) == 0) {
                add(index, NAMES[field], "required", NAMES[field] + " is required");
            }
            return false;
        }

        private String optionalId(String[] text, int index, int field) {
            String value = text[field];
            if (value == null) {
                return null;
            }
            if (value.isEmpty()) {
                add(index, NAMES[field], "pattern", NAMES[field] + " must not be empty: leave it out or send null");
                return null;
            }
            return checked(ids, value, index, field, Violations::id);
        }

        /** A value checked by a rule of {@link Violations}, once per distinct value in the batch. */
        private String checked(Map<String, String> known, String value, int index, int field, Rule rule) {
            String same = known.get(value);
            if (same != null) {
                return same;
            }
            Violations probe = new Violations();
            if (rule.check(probe, path(index, NAMES[field]), value)) {
                known.put(value, value);
                return value;
            }
            try {
                probe.throwIfAny();
            } catch (InvalidInputException broken) {
                for (FieldViolation violation : broken.violations()) {
                    record(new LineViolation(violation.field(), violation.rule(), "log line " + (index + 1) + ": "
                            + violation.message(), index + 1));
                }
            }
            return null;
        }

        /** Records a broken rule of a line ({@code field} null for the whole line); always false. */
        private boolean add(int index, String field, String rule, String message) {
            String path = field == null ? "[" + index + "]" : path(index, field);
            record(new LineViolation(path, rule, "log line " + (index + 1) + ": " + message, index + 1));
            return false;
        }

        private void body(String rule, String message) {
            record(new LineViolation("body", rule, message, null));
        }

        private void record(LineViolation violation) {
            violations.add(violation);
            if (violations.size() >= MAX_REPORTED) {
                throw new InvalidLogBatchException(violations, true);
            }
        }

        /** The body stopped being JSON (or could not be read): reading ends here. */
        void failed(IOException failure) {
            Integer line = afterLast || (!opened && format == Format.JSON_ARRAY) ? null : inLine ? count : count + 1;
            String where = "";
            String reason = failure.getMessage();
            if (failure instanceof JsonProcessingException parse) {
                JsonLocation location = parse.getLocation();
                reason = parse.getOriginalMessage();
                if (location != null && location.getLineNr() > 0) {
                    where = " at line " + location.getLineNr() + ", column " + location.getColumnNr() + " of the body";
                }
                String message = "malformed JSON" + where + ": " + reason;
                record(new LineViolation(line == null ? "body" : "[" + (line - 1) + "]", "malformed-json",
                        line == null ? message : "log line " + line + ": " + message, line));
            } else if (failure instanceof JsonTextCheck.MalformedJsonTextException malformed) {
                record(new LineViolation("body", "encoding", malformed.getMessage(), null));
            } else {
                record(new LineViolation("body", "unreadable", "the body could not be read: " + reason, null));
            }
        }

        void throwIfInvalid() {
            if (!violations.isEmpty()) {
                throw new InvalidLogBatchException(violations, false);
            }
        }
    }

    private interface Rule {
        boolean check(Violations v, String field, String value);
    }

    private static String path(int index, String field) {
        return "[" + index + "]." + field;
    }

    private static int field(String name) {
        return switch (name) {
            case "namespace" -> NAMESPACE;
            case "flowId" -> FLOW_ID;
            case "executionId" -> EXECUTION_ID;
            case "taskId" -> TASK_ID;
            case "taskRunId" -> TASK_RUN_ID;
            case "triggerId" -> TRIGGER_ID;
            case "thread" -> THREAD;
            case "message" -> MESSAGE;
            case "attemptNumber" -> ATTEMPT_NUMBER;
            case "level" -> LEVEL;
            case "timestamp" -> TIMESTAMP;
            default -> -1;
        };
    }

    private static LogLevel level(String name) {
        return switch (name) {
            case "TRACE" -> LogLevel.TRACE;
            case "DEBUG" -> LogLevel.DEBUG;
            case "INFO" -> LogLevel.INFO;
            case "WARN" -> LogLevel.WARN;
            case "ERROR" -> LogLevel.ERROR;
            default -> null;
        };
    }

    /** A field name as a problem repeats it: at most 100 characters of it. */
    private static String shown(String name) {
        return name.length() <= 100 ? name : name.substring(0, 100) + "…";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a standard algorithm", e);
        }
    }
}
