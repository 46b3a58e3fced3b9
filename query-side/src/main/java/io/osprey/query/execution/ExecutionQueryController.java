package io.osprey.query.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.osprey.blob.BlobUri;
import io.osprey.blob.InvalidBlobKeyException;
import io.osprey.events.validation.Violations;
import io.osprey.query.blob.BlobDownloads;
import io.osprey.query.blob.BlobDownloads.DownloadableFile;
import io.osprey.query.projection.ConsistentReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The execution queries. Each validates all its parameters first (400 naming every broken rule), then
 * reads the read model, after waiting for {@code position} when the client asks to read its own writes.
 */
@RestController
@RequestMapping("/api/v1/{tenant}/executions")
@Tag(name = "Executions (queries)")
public class ExecutionQueryController {

    private static final String FILE_DOC = "The file's osprey:/// URI, as the execution view shows it";
    private static final String POSITION_DOC = "Global event position the reply must reflect (read-your-writes); "
            + "the query waits for the projection up to osprey.query.consistency-timeout";

    /** The largest search page held in memory before it is written out; a larger one goes to a temporary file. */
    private static final int PAGE_IN_MEMORY = 256 * 1024;

    private final ExecutionQueries queries;
    private final ConsistentReads reads;
    private final BlobDownloads downloads;
    private final ObjectMapper json;
    /** Each execution of a search page; the page is flushed as the socket's buffer fills, not after each one. */
    private final ObjectWriter executions;

    public ExecutionQueryController(ExecutionQueries queries, ConsistentReads reads, BlobDownloads downloads,
                                    ObjectMapper json) {
        this.queries = queries;
        this.reads = reads;
        this.downloads = downloads;
        this.json = json;
        this.executions = json.writerFor(ExecutionView.class).without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    @GetMapping(value = "/{executionId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get an execution", description = "The execution with its task runs, attempts and state histories.")
    public ResponseEntity<ExecutionView> get(
            @PathVariable String tenant,
            @PathVariable String executionId,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position) {
        Violations violations = new Violations();
        violations.tenant("tenant", tenant);
        violations.id("executionId", executionId);
        ConsistentReads.validatePosition(violations, position);
        violations.throwIfAny();
        return reads.read(ExecutionProjection.PROCESSOR, position, () -> queries.find(tenant, executionId)
                .orElseThrow(() -> new ExecutionNotFoundException(tenant, executionId)));
    }

    @GetMapping("/{executionId}/file") // the file's own type, whatever the Accept
    @Operation(summary = "Download a file of an execution", description = "An input file, an output file or a value "
            + "stored as a blob, by its osprey:/// URI; only URIs recorded for this execution are served. With its "
            + "length and type, as an attachment; a single byte range (Range: bytes=...) is served as 206. With "
            + "osprey.blob.s3.direct-downloads enabled, a GET is answered 307 with a short-lived URL of the store.")
    public void file(
            @PathVariable String tenant,
            @PathVariable String executionId,
            @Parameter(required = true, description = FILE_DOC) @RequestParam(required = false) String path,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position,
            @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response) throws IOException {
        Violations violations = new Violations();
        String uri = fileUri(violations, tenant, executionId, path, position);
        violations.throwIfAny();
        ResponseEntity<ExecutionFileView> read = reads.read(ExecutionProjection.PROCESSOR, position,
                () -> recordedFile(tenant, executionId, uri));
        BlobUri blob = BlobUri.parse(read.getBody().uri());
        downloads.send(request, new DownloadableFile(blob, read.getBody().size(), blob.fileName(), read.getBody().sha256()),
                read.getHeaders(), response);
    }

    @GetMapping(value = "/{executionId}/file/metas", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Describe a file of an execution", description = "The size of a file recorded for this execution.")
    public ResponseEntity<FileMetas> fileMetas(
            @PathVariable String tenant,
            @PathVariable String executionId,
            @Parameter(required = true, description = FILE_DOC) @RequestParam(required = false) String path,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position) {
        Violations violations = new Violations();
        String uri = fileUri(violations, tenant, executionId, path, position);
        violations.throwIfAny();
        return reads.read(ExecutionProjection.PROCESSOR, position, () -> {
            ExecutionFileView file = recordedFile(tenant, executionId, uri);
            downloads.requireStored(BlobUri.parse(file.uri()));
            return new FileMetas(file.size());
        });
    }

    @GetMapping(value = "/search", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Search executions", description = "A page of executions (without task runs) matching every given filter, and the total.")
    @Parameter(name = "labels", in = ParameterIn.QUERY, description = "key:value; repeat, all must match",
            array = @ArraySchema(schema = @Schema(type = "string")))
    @Parameter(name = "state", in = ParameterIn.QUERY, description = "Current state; repeat (or separate by commas) for any of several",
            array = @ArraySchema(schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = ExecutionPage.class)))
    public ResponseEntity<StreamingResponseBody> search(
            @PathVariable String tenant,
            @Parameter(description = "Exact namespace") @RequestParam(required = false) String namespace,
            @Parameter(description = "Namespace prefix") @RequestParam(required = false) String namespacePrefix,
            @Parameter(description = "Flow id") @RequestParam(required = false) String flowId,
            @Parameter(description = "Started at or after (ISO-8601 date-time)") @RequestParam(required = false) String startDate,
            @Parameter(description = "Started at or before (ISO-8601 date-time)") @RequestParam(required = false) String endDate,
            @Parameter(description = "Execution id prefix") @RequestParam(required = false) String idPrefix,
            @Parameter(description = "Page number, from 1") @RequestParam(required = false) Integer page,
            @Parameter(description = "Page size, 1 to 1000 (default 25)") @RequestParam(required = false) Integer size,
            @Parameter(description = "field[:asc|desc]; fields id, namespace, flowId, state.current, state.startDate, "
                    + "state.endDate (default state.startDate:desc)") @RequestParam(required = false) String sort,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position,
            HttpServletRequest request) {
        Violations violations = new Violations();
        ExecutionFilter filter = ExecutionFilter.parse(violations, tenant, namespace, namespacePrefix, flowId,
                states(request), rawValues(request, "labels"), startDate, endDate, idPrefix);
        ExecutionSearch search = ExecutionSearch.parse(violations, filter, page, size, sort);
        ConsistentReads.validatePosition(violations, position);
        violations.throwIfAny();
        HttpHeaders headers = reads.await(ExecutionProjection.PROCESSOR, position);
        return ResponseEntity.ok().headers(headers).contentType(MediaType.APPLICATION_JSON).body(out -> {
            try (PageSpool spool = new PageSpool(PAGE_IN_MEMORY)) {
                try {
                    SearchPageWriter writer = new SearchPageWriter(json, executions, spool);
                    queries.search(search, writer);
                    writer.finish();
                } catch (IOException | UncheckedIOException e) {
                    throw new PageSpoolException(e);
                }
                spool.sendTo(out); // the page's transaction is over: a client that reads slowly holds no connection
            }
        });
    }

    @GetMapping(value = "/stats/by-state", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Count executions by state", description = "How many executions matching every given filter "
            + "(the search's filters) are in each current state.")
    @Parameter(name = "labels", in = ParameterIn.QUERY, description = "key:value; repeat, all must match",
            array = @ArraySchema(schema = @Schema(type = "string")))
    @Parameter(name = "state", in = ParameterIn.QUERY, description = "Current state; repeat (or separate by commas) for any of several",
            array = @ArraySchema(schema = @Schema(type = "string")))
    public ResponseEntity<StateCounts> countByState(
            @PathVariable String tenant,
            @Parameter(description = "Exact namespace") @RequestParam(required = false) String namespace,
            @Parameter(description = "Namespace prefix") @RequestParam(required = false) String namespacePrefix,
            @Parameter(description = "Flow id") @RequestParam(required = false) String flowId,
            @Parameter(description = "Started at or after (ISO-8601 date-time)") @RequestParam(required = false) String startDate,
            @Parameter(description = "Started at or before (ISO-8601 date-time)") @RequestParam(required = false) String endDate,
            @Parameter(description = "Execution id prefix") @RequestParam(required = false) String idPrefix,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position,
            HttpServletRequest request) {
        Violations violations = new Violations();
        ExecutionFilter filter = ExecutionFilter.parse(violations, tenant, namespace, namespacePrefix, flowId,
                states(request), rawValues(request, "labels"), startDate, endDate, idPrefix);
        ConsistentReads.validatePosition(violations, position);
        violations.throwIfAny();
        return reads.read(ExecutionProjection.PROCESSOR, position, () -> queries.countByState(filter));
    }

    /** Checks the target and the path; returns the path's canonical URI, or null when it is not one. */
    private static String fileUri(Violations violations, String tenant, String executionId, String path, Long position) {
        violations.tenant("tenant", tenant);
        violations.id("executionId", executionId);
        ConsistentReads.validatePosition(violations, position);
        if (!violations.required("path", path)) {
            return null;
        }
        try {
            return BlobUri.parse(path).toString();
        } catch (InvalidBlobKeyException e) {
            violations.add("path", "uri", "path must be an osprey:/// URI: " + e.getMessage());
            return null;
        }
    }

    private ExecutionFileView recordedFile(String tenant, String executionId, String uri) {
        return queries.file(tenant, executionId, uri)
                .orElseThrow(() -> new ExecutionFileNotFoundException(tenant, executionId, uri));
    }

    /** The states asked for: {@code state} repeated or comma-separated; an empty one is kept, to be refused. */
    private static List<String> states(HttpServletRequest request) {
        return rawValues(request, "state").stream().flatMap(value -> Arrays.stream(value.split(",", -1))).toList();
    }

    /**
     * The values of a repeatable parameter exactly as sent. A bound {@code List<String>} would split a single
     * value at its commas, and a label value may contain commas.
     */
    private static List<String> rawValues(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        return values == null ? List.of() : List.of(values);
    }
}
