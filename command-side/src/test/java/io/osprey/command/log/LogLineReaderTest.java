package io.osprey.command.log;

import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming reader on its own: what it accepts, how it names what it refuses. */
class LogLineReaderTest {

    private final LogLineReader reader = new LogLineReader(new LogIngestLimits(5, DataSize.ofBytes(4096), 20, 2, null, null));

    private LogLineReader.Batch read(String body, LogLineReader.Format format) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return reader.read(new ByteArrayInputStream(bytes), format, -1, true);
    }

    private InvalidLogBatchException refused(String body, LogLineReader.Format format) {
        return (InvalidLogBatchException) org.assertj.core.api.Assertions.catchThrowable(() -> read(body, format));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59Z"})
    void refusesALineStampedOutsideYears0To9999(String timestamp) {
        assertThat(refused("[" + lineAt(timestamp) + "]", LogLineReader.Format.JSON_ARRAY).lineViolations())
                .extracting(LineViolation::field, LineViolation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("[0].timestamp", "range"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z"})
    void acceptsTheFirstAndLastInstantOfThatRange(String timestamp) {
        assertThat(read("[" + lineAt(timestamp) + "]", LogLineReader.Format.JSON_ARRAY).lines())
                .singleElement().extracting(LogLine::timestamp)
                .isEqualTo(Instant.parse(timestamp).truncatedTo(ChronoUnit.MICROS));
    }

    @ParameterizedTest
    @CsvSource({"2026-11-26T10:15:30.123456789Z, 2026-11-26T10:15:30.123456Z",
            "1969-12-31T23:59:59.9999999Z, 1969-12-31T23:59:59.999999Z", "2026-11-26T10:15:30.5Z, 2026-11-26T10:15:30.5Z"})
    void keepsATimestampToTheMicrosecond(String sent, String kept) {
        assertThat(read("[" + lineAt(sent) + "]", LogLineReader.Format.JSON_ARRAY).lines())
                .singleElement().extracting(LogLine::timestamp).isEqualTo(Instant.parse(kept));
    }

    @Test
    void aThreadIsLimitedInCharactersNotInUtf16Units() {
        String rockets = "\uD83D\uDE80".repeat(LogLineReader.THREAD_MAX_LENGTH);
        String line = "{\"namespace\":\"n\",\"flowId\":\"f\",\"executionId\":\"e\",\"level\":\"INFO\","
                + "\"timestamp\":\"2026-11-26T10:00:00Z\",\"message\":\"m\",\"thread\":\"%s\"}";

        assertThat(read("[" + line.formatted(rockets) + "]", LogLineReader.Format.JSON_ARRAY).lines())
                .singleElement().extracting(LogLine::thread).isEqualTo(rockets);
        assertThat(refused("[" + line.formatted(rockets + "x") + "]", LogLineReader.Format.JSON_ARRAY).lineViolations())
                .extracting(LineViolation::field, LineViolation::rule, LineViolation::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("[0].thread", "max-length",
                        "log line 1: thread must be at most 200 characters, got 201"));
    }

    private static String lineAt(String timestamp) {
        return "{\"namespace\":\"n\",\"flowId\":\"f\",\"executionId\":\"e\",\"level\":\"INFO\",\"timestamp\":\""
                + timestamp + "\",\"message\":\"m\"}";
    }

    @Test
    void readsEveryFieldOfAJsonArrayAndDigestsTheRawBody() throws Exception {
        String body = "[{\"namespace\":\"company.team\",\"flowId\":\"etl\",\"executionId\":\"e1\",\"taskId\":\"t\","
                + "\"taskRunId\":\"tr\",\"attemptNumber\":2,\"level\":\"WARN\",\"timestamp\":\"2026-11-26T10:15:30.5Z\","
                + "\"thread\":\"main\",\"message\":\"h\\u00e9llo\"},\n"
                + " {\"namespace\":\"company\",\"flowId\":\"etl\",\"triggerId\":\"schedule\",\"executionId\":null,"
                + "\"level\":\"TRACE\",\"timestamp\":\"2026-11-26T10:15:30+01:00\",\"message\":\"\"}]";

        LogLineReader.Batch batch = read(body, LogLineReader.Format.JSON_ARRAY);

        assertThat(batch.lines()).containsExactly(
                new LogLine("company.team", "etl", "e1", "t", "tr", 2, null, LogLevel.WARN,
                        Instant.parse("2026-11-26T10:15:30.5Z"), "main", "héllo"),
                new LogLine("company", "etl", null, null, null, 0, "schedule", LogLevel.TRACE,
                        Instant.parse("2026-11-26T09:15:30Z"), null, ""));
        assertThat(batch.sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void ndjsonIgnoresBlankLinesAndCountsRecordsNotTextLines() {
        String line = "{\"namespace\":\"n\",\"flowId\":\"f\",\"executionId\":\"e\",\"level\":\"INFO\","
                + "\"timestamp\":\"2026-11-26T10:15:30Z\",\"message\":\"m\"}";
        assertThat(read("\n" + line + "\r\n\r\n  \n" + line + "\n\n", LogLineReader.Format.NDJSON).lines()).hasSize(2);

        InvalidLogBatchException e = refused(line + "\n\n" + line.replace("INFO", "LOUD") + "\n", LogLineReader.Format.NDJSON);
        assertThat(e.lineViolations()).containsExactly(new LineViolation("[1].level", "enum",
                "log line 2: level must be one of TRACE, DEBUG, INFO, WARN, ERROR", 2));
        // the log line's number, and where in the body its text broke
        assertThat(refused(line + "\n\n" + line + "\n\n{oops}\n", LogLineReader.Format.NDJSON).lineViolations())
                .singleElement().extracting(LineViolation::message).asString()
                .startsWith("log line 3: malformed JSON at line 5, column 2 of the body");
    }

    @Test
    void ndjsonWantsOneObjectPerLine() {
        String line = "{\"namespace\":\"n\",\"flowId\":\"f\",\"executionId\":\"e\",\"level\":\"INFO\","
                + "\"timestamp\":\"2026-11-26T10:15:30Z\",\"message\":\"m\"}";
        assertThat(refused(line + line, LogLineReader.Format.NDJSON).lineViolations())
                .extracting(LineViolation::field, LineViolation::rule, LineViolation::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("[1]", "ndjson", 2));
        assertThat(refused(line.replace(",\"message\"", ",\n\"message\""), LogLineReader.Format.NDJSON).lineViolations())
                .extracting(LineViolation::field, LineViolation::rule).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("[0]", "ndjson"));
    }

    @Test
    void everyBadLineIsNamedAndValidValuesAreCheckedOnce() {
        String body = "[{\"namespace\":\"a..b\",\"flowId\":\"f\",\"executionId\":\"e\",\"level\":\"INFO\",\"timestamp\":\"2026-11-26T10:15:30Z\",\"message\":\"m\"},"
                + "{\"namespace\":\"ok\",\"flowId\":\"f\",\"level\":\"INFO\",\"timestamp\":\"2026-11-26T10:15:30Z\",\"message\":\"m\",\"extra\":{\"x\":[1]}},"
                + "{\"namespace\":\"ok\",\"flowId\":\"f\",\"executionId\":\"e\",\"level\":\"INFO\",\"timestamp\":\"2026-11-26T10:15:30Z\",\"message\":\"m\"}]";

        InvalidLogBatchException e = refused(body, LogLineReader.Format.JSON_ARRAY);

        assertThat(e.lineViolations()).extracting(LineViolation::field, LineViolation::rule, LineViolation::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("[0].namespace", "pattern", 1),
                        org.assertj.core.groups.Tuple.tuple("[1].extra", "unknown-field", 2),
                        org.assertj.core.groups.Tuple.tuple("[1].executionId", "required", 2));
        assertThat(e.truncated()).isFalse();
    }

    @Test
    void malformedJsonNamesTheLineItBrokeIn() {
        String good = "{\"namespace\":\"n\",\"flowId\":\"f\",\"executionId\":\"e\",\"level\":\"INFO\","
                + "\"timestamp\":\"2026-11-26T10:15:30Z\",\"message\":\"m\"}";
        InvalidLogBatchException e = refused("[" + good + ",\n" + good.replace("\"flowId\"", "flowId") + "]",
                LogLineReader.Format.JSON_ARRAY);
        assertThat(e.lineViolations()).hasSize(1);
        assertThat(e.lineViolations().get(0).field()).isEqualTo("[1]");
        assertThat(e.lineViolations().get(0).rule()).isEqualTo("malformed-json");
        assertThat(e.lineViolations().get(0).line()).isEqualTo(2);
        assertThat(e.lineViolations().get(0).message()).contains("at line 2, column");
    }

    @Test
    void tooManyLinesOrBytesAre413WhileReading() {
        String good = "{\"namespace\":\"n\",\"flowId\":\"f\",\"executionId\":\"e\",\"level\":\"INFO\","
                + "\"timestamp\":\"2026-11-26T10:15:30Z\",\"message\":\"m\"}";
        assertThatThrownBy(() -> read("[" + String.join(",", java.util.Collections.nCopies(6, good)) + "]",
                LogLineReader.Format.JSON_ARRAY))
                .isInstanceOfSatisfying(LogBatchTooLargeException.class, e -> assertThat(e.rule()).isEqualTo("max-lines"));
        assertThatThrownBy(() -> read("[" + " ".repeat(5000) + "]", LogLineReader.Format.JSON_ARRAY))
                .isInstanceOfSatisfying(LogBatchTooLargeException.class, e -> assertThat(e.rule()).isEqualTo("max-bytes"));
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(new byte[0]), LogLineReader.Format.JSON_ARRAY, 4097, false))
                .isInstanceOfSatisfying(LogBatchTooLargeException.class, e -> assertThat(e.rule()).isEqualTo("max-bytes"));
        assertThat(read("[" + good + "," + good + "," + good + "," + good + "," + good + "]", LogLineReader.Format.JSON_ARRAY)
                .lines()).hasSize(5);
    }

    @Test
    void reportsAtMostAHundredViolations() {
        LogLineReader big = new LogLineReader(new LogIngestLimits(1000, DataSize.ofMegabytes(1), 20, 2, null, null));
        String body = "[" + String.join(",", java.util.Collections.nCopies(500, "{}")) + "]";
        InvalidLogBatchException e = (InvalidLogBatchException) org.assertj.core.api.Assertions.catchThrowable(() ->
                big.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), LogLineReader.Format.JSON_ARRAY, -1, false));
        assertThat(e.lineViolations()).hasSize(LogLineReader.MAX_REPORTED);
        assertThat(e.truncated()).isTrue();
        assertThat(e.lineViolations().get(0)).isEqualTo(new LineViolation("[0].namespace", "required",
                "log line 1: namespace is required", 1));
    }

    @Test
    void emptyBatchesAreRefused() {
        assertThat(refused("", LogLineReader.Format.JSON_ARRAY).lineViolations())
                .containsExactly(new LineViolation("body", "required", "a body of log lines is required: a JSON array, "
                        + "or NDJSON sent as application/x-ndjson", null));
        assertThat(refused(" [ ] ", LogLineReader.Format.JSON_ARRAY).lineViolations()).extracting(LineViolation::rule)
                .containsExactly("min-items");
        assertThat(refused("\n\n", LogLineReader.Format.NDJSON).lineViolations()).extracting(LineViolation::rule)
                .containsExactly("required");
        assertThat(refused("{}", LogLineReader.Format.JSON_ARRAY).lineViolations()).extracting(LineViolation::field,
                LineViolation::rule).containsExactly(org.assertj.core.groups.Tuple.tuple("body", "type"));
        assertThat(refused("[] []", LogLineReader.Format.JSON_ARRAY).lineViolations()).extracting(LineViolation::field,
                LineViolation::rule).containsExactly(org.assertj.core.groups.Tuple.tuple("body", "malformed-json"));
    }
}
