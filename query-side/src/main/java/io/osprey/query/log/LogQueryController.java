package io.osprey.query.log;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.osprey.events.execution.ReservedExecutionIds;
import io.osprey.events.log.LogLevel;
import io.osprey.events.validation.IsoInstant;
import io.osprey.events.validation.Violations;
import io.osprey.query.projection.ConsistentReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.lucene.search.Query;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * Log queries, Kestra-shaped: search, one execution's lines, a live follow and a plain-text download.
 * Every parameter is validated first (400 naming each broken rule); the tenant is a partition of the index
 * and the namespace a filter, so no {@code q} reaches beyond them.
 */
@RestController
@RequestMapping("/api/v1/{tenant}/logs")
@Tag(name = "Logs (queries)")
public class LogQueryController {

    private static final String POSITION_DOC = "Global event position the reply must reflect (read-your-writes); "
            + "the query waits for the log index up to osprey.query.consistency-timeout";
    private static final int MAX_SIZE = 1000;
    private static final String SERVER_TIMING = "Server-Timing";
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final LogSearches searches;
    private final LogFollowers followers;
    private final ConsistentReads reads;
    private final LogQueryProperties properties;
    private final ObjectMapper json;
    private final ObjectWriter lineWriter;
    private final LogAnalyzer analyzer = new LogAnalyzer();

    public LogQueryController(LogSearches searches, LogFollowers followers, ConsistentReads reads,
                              LogQueryProperties properties, ObjectMapper json) {
        this.searches = searches;
        this.followers = followers;
        this.reads = reads;
        this.properties = properties;
        this.json = json;
        this.lineWriter = json.writerFor(LogEntryView.class).without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    @GetMapping(value = "/search", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Search logs", description = "Full text (words, \"phrases\", prefix*, -excluded) with filters; "
            + "newest first by default. Page with page/size up to " + LogSearches.MAX_WINDOW
            + " lines deep, or follow nextCursor to any depth.")
    @ApiResponse(responseCode = "200", description = "One page", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LogPage.class)))
    public void search(
            @PathVariable String tenant,
            @RequestParam(required = false) String q,
            @Parameter(description = "Namespace, with its sub-namespaces") @RequestParam(required = false) String namespace,
            @RequestParam(required = false) String flowId,
            @RequestParam(required = false) String executionId,
            @RequestParam(required = false) String taskId,
            @RequestParam(required = false) String taskRunId,
            @RequestParam(required = false) String minLevel,
            @Parameter(description = "ISO-8601 instant, inclusive") @RequestParam(required = false) String startDate,
            @Parameter(description = "ISO-8601 instant, inclusive") @RequestParam(required = false) String endDate,
            @RequestParam(defaultValue = "1") Integer page,
            @RequestParam(defaultValue = "25") Integer size,
            @Parameter(description = "timestamp:desc (default) or timestamp:asc") @RequestParam(required = false) String sort,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position,
            @Parameter(hidden = true) HttpServletResponse response) throws IOException {
        Violations violations = new Violations();
        violations.tenant("tenant", tenant);
        optionalNames(violations, namespace, flowId, executionId, taskId, taskRunId);
        LogLevel level = level(violations, minLevel);
        Instant start = instant(violations, "startDate", startDate);
        Instant end = instant(violations, "endDate", endDate);
        if (start != null && end != null && end.isBefore(start)) {
            violations.add("endDate", "after-start", "endDate must not be before startDate");
        }
        boolean newestFirst = newestFirst(violations, sort);
        LogCursor after = cursor == null ? null : LogCursor.parse(cursor);
        if (cursor != null && (after == null || after.newestFirst() != newestFirst)) {
            violations.add("cursor", "cursor", "cursor must be a nextCursor of a search sorted the same way: it names the"
                    + " line after which the page goes on");
        }
        paging(violations, page, size, cursor != null);
        ConsistentReads.validatePosition(violations, position);
        LogText text = LogText.parse(q, analyzer, violations);
        violations.throwIfAny();
        LogSearch search = new LogSearch(text, namespace, flowId, executionId, taskId, taskRunId, null, level, start, end,
                newestFirst, page, size, after);
        HttpHeaders headers = reads.await(LogIndexer.NAME, position);
        long begin = System.nanoTime();
        searches.search(tenant, search, found -> {
            headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            // the index's time to find the page, without waiting for a position nor HTTP: what a client's latency
            // is made of (the lines are read from the index as they are written)
            response.setHeader(SERVER_TIMING, String.format(Locale.ROOT, "search;dur=%.3f", (System.nanoTime() - begin) / 1e6));
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            writePage(tenant, found, response.getOutputStream());
        });
    }

    /** A {@link LogPage}, written as its lines are read. */
    private void writePage(String tenant, LogSearches.FoundPage found, OutputStream out) throws IOException {
        JsonGenerator generator = generator(out);
        generator.writeStartObject();
        generator.writeArrayFieldStart("results");
        found.lines().forEach(line -> lineWriter.writeValue(generator, LogEntryView.of(tenant, line)));
        generator.writeEndArray();
        generator.writeNumberField("total", found.total());
        generator.writeBooleanField("totalExact", found.totalExact());
        generator.writeStringField("nextCursor", found.nextCursor());
        generator.writeEndObject();
        generator.close();
    }

    /**
     * A generator for a reply written as it is read, closed only once complete: a reply that fails halfway must
     * not end as valid JSON (a short list would pass for the whole), nor be flushed before the failure is known.
     */
    private JsonGenerator generator(OutputStream out) throws IOException {
        return json.getFactory().createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    @GetMapping(value = "/{executionId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Logs of an execution", description = "Every line of the execution in time order, streamed as a JSON array.")
    public ResponseEntity<StreamingResponseBody> execution(
            @PathVariable String tenant, @PathVariable String executionId,
            @RequestParam(required = false) String minLevel,
            @RequestParam(required = false) String taskId,
            @RequestParam(required = false) String taskRunId,
            @RequestParam(required = false) Integer attempt,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position) {
        Query lines = executionLines(tenant, executionId, minLevel, taskId, taskRunId, attempt, position);
        ResponseEntity<StreamingResponseBody> read = reads.read(LogIndexer.NAME, position, () -> out -> {
            JsonGenerator generator = generator(out);
            generator.writeStartArray();
            searches.stream(tenant, lines, line -> lineWriter.writeValue(generator, LogEntryView.of(tenant, line)));
            generator.writeEndArray();
            generator.close();
        });
        // a streamed body gets no content type from the mapping's produces
        return ResponseEntity.ok().headers(read.getHeaders()).contentType(MediaType.APPLICATION_JSON).body(read.getBody());
    }

    @GetMapping(value = "/{executionId}/follow", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Follow an execution's logs", description = "Server-sent events: each line as a 'log' event "
            + "(id: its ingest sequence), first the lines so far, then new ones as they are indexed; an 'end' event "
            + "once the execution is terminal and its lines are all sent. A client that reconnects with Last-Event-ID "
            + "resumes after that line.")
    public SseEmitter follow(
            @PathVariable String tenant, @PathVariable String executionId,
            @RequestParam(required = false) String minLevel,
            @RequestParam(required = false) String taskId,
            @RequestParam(required = false) String taskRunId,
            @RequestParam(required = false) Integer attempt,
            @Parameter(description = "The id of the last 'log' event received; the follow resumes after it")
            @RequestHeader(value = LAST_EVENT_ID, required = false) String lastEventId,
            HttpMethod method) {
        Violations violations = new Violations();
        long afterSeq = lastEventId == null ? -1 : sequence(violations, lastEventId);
        Query lines = executionLines(violations, tenant, executionId, minLevel, taskId, taskRunId, attempt, null);
        if (method == HttpMethod.HEAD) {
            SseEmitter headersOnly = new SseEmitter(); // a HEAD has no body to wait for: it would hang as long as a follow
            headersOnly.complete();
            return headersOnly;
        }
        return followers.follow(tenant, executionId, lines, afterSeq, properties.followTimeout());
    }

    /** A 'log' event's id is its line's ingest sequence. */
    private static long sequence(Violations violations, String lastEventId) {
        try {
            long seq = Long.parseLong(lastEventId.trim());
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        violations.add(LAST_EVENT_ID, "event-id", LAST_EVENT_ID + " must be the id of a 'log' event of this follow, "
                + "a non-negative integer; got '" + lastEventId + "'");
        return -1;
    }

    @GetMapping(value = "/{executionId}/download", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "Download an execution's logs", description = "Plain text in time order, streamed: a log line per line, a message's"
            + " further lines indented by a tab, its other control characters shown as Unicode control pictures.")
    public ResponseEntity<StreamingResponseBody> download(
            @PathVariable String tenant, @PathVariable String executionId,
            @RequestParam(required = false) String minLevel,
            @RequestParam(required = false) String taskId,
            @RequestParam(required = false) String taskRunId,
            @RequestParam(required = false) Integer attempt,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position) {
        Query lines = executionLines(tenant, executionId, minLevel, taskId, taskRunId, attempt, position);
        ResponseEntity<StreamingResponseBody> read = reads.read(LogIndexer.NAME, position, () -> out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            searches.stream(tenant, lines, line -> TextExport.append(writer, line));
            writer.flush();
        });
        return ResponseEntity.ok().headers(read.getHeaders()).contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(executionId + ".log").build().toString())
                .body(read.getBody());
    }

    private Query executionLines(String tenant, String executionId, String minLevel, String taskId, String taskRunId,
                                 Integer attempt, Long position) {
        return executionLines(new Violations(), tenant, executionId, minLevel, taskId, taskRunId, attempt, position);
    }

    /** Validates the filters, with the violations found so far, and throws if any rule is broken. */
    private Query executionLines(Violations violations, String tenant, String executionId, String minLevel, String taskId,
                                 String taskRunId, Integer attempt, Long position) {
        violations.tenant("tenant", tenant);
        if (violations.id("executionId", executionId) && ReservedExecutionIds.isReserved(executionId)) {
            violations.add("executionId", "reserved", "executionId " + executionId + " names the log search, not an"
                    + " execution: no line can have it");
        }
        optionalNames(violations, null, null, null, taskId, taskRunId);
        LogLevel level = level(violations, minLevel);
        if (attempt != null && attempt < 0) {
            violations.add("attempt", "min", "attempt must be at least 0, got " + attempt);
        }
        ConsistentReads.validatePosition(violations, position);
        violations.throwIfAny();
        return LogSearches.filters(null, null, executionId, taskId, taskRunId, attempt, level).build();
    }

    private static void optionalNames(Violations violations, String namespace, String flowId, String executionId,
                                      String taskId, String taskRunId) {
        if (namespace != null) {
            violations.namespace("namespace", namespace);
        }
        if (flowId != null) {
            violations.flowId("flowId", flowId);
        }
        if (executionId != null) {
            violations.id("executionId", executionId);
        }
        if (taskId != null) {
            violations.id("taskId", taskId);
        }
        if (taskRunId != null) {
            violations.id("taskRunId", taskRunId);
        }
    }

    private static LogLevel level(Violations violations, String minLevel) {
        if (minLevel == null) {
            return null;
        }
        try {
            return LogLevel.valueOf(minLevel.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            violations.add("minLevel", "enum", "minLevel must be one of TRACE, DEBUG, INFO, WARN, ERROR; got '" + minLevel + "'");
            return null;
        }
    }

    private static Instant instant(Violations violations, String field, String value) {
        if (value == null) {
            return null;
        }
        Instant instant = IsoInstant.parse(value);
        if (instant == null) {
            violations.add(field, "date-time", field + " must be an ISO-8601 date-time with offset, like 2026-11-26T10:00:00Z");
        }
        return instant;
    }

    private static boolean newestFirst(Violations violations, String sort) {
        if (sort == null || sort.equals("timestamp:desc")) {
            return true;
        }
        if (sort.equals("timestamp:asc") || sort.equals("timestamp")) {
            return false;
        }
        violations.add("sort", "enum", "sort must be timestamp:desc or timestamp:asc");
        return true;
    }

    private static void paging(Violations violations, Integer page, Integer size, boolean cursor) {
        if (page < 1) {
            violations.add("page", "min", "page must be at least 1, got " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            violations.add("size", "range", "size must be between 1 and " + MAX_SIZE + ", got " + size);
        }
        if (cursor && page != 1) {
            violations.add("page", "cursor", "page must be 1 (or absent) with a cursor: the cursor says where to resume");
        } else if (page >= 1 && size >= 1 && (long) page * size > LogSearches.MAX_WINDOW) {
            violations.add("page", "max-window", "page * size must be at most " + LogSearches.MAX_WINDOW
                    + "; page deeper with the cursor of the previous page");
        }
    }
}
