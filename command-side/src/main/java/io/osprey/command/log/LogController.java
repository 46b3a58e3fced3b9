package io.osprey.command.log;

import io.osprey.command.dispatch.CommandReply;
import io.osprey.command.dispatch.RequestMetadata;
import io.osprey.events.validation.InvalidInputException;
import io.osprey.events.validation.Violations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;

/**
 * The log command API: ingest a batch of lines (JSON array or NDJSON), delete the lines of an execution, delete
 * lines by a retention filter. Every reply comes after commit and carries the global position reached.
 */
@RestController
@RequestMapping(value = "/api/v1/{tenant}/logs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Logs (commands)")
public class LogController {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String IDEMPOTENCY_REPLAYED = "Idempotency-Replayed";

    private final LogLineReader reader;
    private final LogIngest ingest;
    private final LogDeletions deletions;

    public LogController(LogLineReader reader, LogIngest ingest, LogDeletions deletions) {
        this.reader = reader;
        this.ingest = ingest;
        this.deletions = deletions;
    }

    /** One log line of a batch, for the API description (the reader parses the body itself). */
    @Schema(name = "LogEntry", description = "One log line, with Kestra's LogEntry field names; unknown fields are refused")
    private record LogEntryDoc(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "company.team") String namespace,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "etl") String flowId,
            @Schema(description = "Required unless triggerId is given") String executionId,
            String taskId,
            String taskRunId,
            @Schema(description = "From 0", defaultValue = "0") Integer attemptNumber,
            @Schema(description = "For the lines of a trigger") String triggerId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"})
            String level,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "date-time", example = "2026-11-26T10:15:30.123Z")
            String timestamp,
            @Schema(description = "At most 200 characters") String thread,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "May be empty; at most "
                    + "osprey.logs.ingest.max-message-length characters") String message) {
    }

    @Operation(summary = "Append a batch of log lines: a JSON array, or NDJSON (one object per line, blank lines "
            + "ignored). The batch is checked whole (400 naming each bad line) and stored in one transaction; a repeated "
            + "Idempotency-Key replays the first reply (header Idempotency-Replayed: true), or is a 422 with another body",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            array = @ArraySchema(schema = @Schema(implementation = LogEntryDoc.class))),
                    @Content(mediaType = MediaType.APPLICATION_NDJSON_VALUE,
                            schema = @Schema(implementation = LogEntryDoc.class))}))
    @Parameter(name = IDEMPOTENCY_KEY, in = ParameterIn.HEADER, schema = @Schema(type = "string", minLength = 1, maxLength = 200),
            description = "1 to 200 printable ASCII characters; a retry with the same key and body within "
                    + "osprey.logs.ingest.idempotency-window stores nothing more and gets the first reply")
    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE})
    public ResponseEntity<LogIngestReply> append(@PathVariable String tenant,
                                                 @Parameter(hidden = true) @RequestHeader(value = IDEMPOTENCY_KEY, required = false)
                                                 String idempotencyKey,
                                                 @Parameter(hidden = true) HttpServletRequest request,
                                                 RequestMetadata metadata) {
        Violations v = new Violations();
        v.tenant("tenant", tenant);
        IdempotencyKeys.check(v, IDEMPOTENCY_KEY, idempotencyKey);
        if (Collections.list(request.getHeaders(IDEMPOTENCY_KEY)).size() > 1) {
            // the container joins them into one key, which a retry carrying one of them would not match
            v.add(IDEMPOTENCY_KEY, "duplicate", IDEMPOTENCY_KEY + " is given more than once");
        }
        v.throwIfAny();
        LogLineReader.Batch batch;
        try (InputStream body = request.getInputStream()) {
            batch = reader.read(body, format(request), request.getContentLengthLong(), idempotencyKey != null);
        } catch (IOException unreadable) {
            throw new InvalidInputException("body", "unreadable", "the body could not be read: " + unreadable.getMessage());
        }
        LogIngest.Outcome outcome = ingest.ingest(tenant, batch, idempotencyKey, metadata);
        ResponseEntity.BodyBuilder reply = ResponseEntity.ok()
                .header(CommandReply.POSITION_HEADER, Long.toString(outcome.reply().position()));
        if (outcome.replayed()) {
            reply.header(IDEMPOTENCY_REPLAYED, "true");
        }
        return reply.body(outcome.reply());
    }

    @Operation(summary = "Delete the log lines of an execution, or of one of its tasks, task runs or attempts")
    @DeleteMapping("/{executionId}")
    public ResponseEntity<LogDeletionReply> deleteExecution(
            @PathVariable String tenant, @PathVariable String executionId,
            @Parameter(description = "Only the lines of this task") @RequestParam(required = false) String taskId,
            @Parameter(description = "Only the lines of this task run") @RequestParam(required = false) String taskRunId,
            @Parameter(description = "Only the lines of this attempt (from 0)", schema = @Schema(type = "integer", minimum = "0"))
            @RequestParam(required = false) String attempt,
            RequestMetadata metadata) {
        return deleted(deletions.ofExecution(tenant, executionId, taskId, taskRunId, attempt, metadata));
    }

    @Operation(summary = "Delete log lines by retention criteria, all of which must match; at least one is required")
    @DeleteMapping
    public ResponseEntity<LogDeletionReply> deleteMatching(
            @PathVariable String tenant,
            @Parameter(description = "This namespace and its sub-namespaces") @RequestParam(required = false) String namespace,
            @Parameter(description = "Only the lines of this flow") @RequestParam(required = false) String flowId,
            @Parameter(description = "Only lines of these levels: repeated or comma-separated",
                    array = @ArraySchema(schema = @Schema(allowableValues = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"})))
            @RequestParam(required = false) List<String> levels,
            @Parameter(description = "Only lines written before this instant (ISO-8601)", schema = @Schema(format = "date-time"))
            @RequestParam(required = false) String before,
            RequestMetadata metadata) {
        return deleted(deletions.matching(tenant, namespace, flowId, levels, before, metadata));
    }

    private static ResponseEntity<LogDeletionReply> deleted(LogDeletionReply reply) {
        return ResponseEntity.ok().header(CommandReply.POSITION_HEADER, Long.toString(reply.position())).body(reply);
    }

    private static LogLineReader.Format format(HttpServletRequest request) {
        MediaType type = MediaType.parseMediaType(request.getContentType());
        return MediaType.APPLICATION_NDJSON.includes(type) ? LogLineReader.Format.NDJSON : LogLineReader.Format.JSON_ARRAY;
    }
}
