package io.osprey.query.execution;

import io.osprey.events.validation.Violations;
import io.osprey.query.projection.ConsistentReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * The execution queries. Each validates all its parameters first (400 naming every broken rule), then
 * reads the read model, after waiting for {@code position} when the client asks to read its own writes.
 */
@RestController
@RequestMapping("/api/v1/{tenant}/executions")
@Tag(name = "Executions (queries)")
public class ExecutionQueryController {

    private static final String POSITION_DOC = "Global event position the reply must reflect (read-your-writes); "
            + "the query waits for the projection up to osprey.query.consistency-timeout";

    private final ExecutionQueries queries;
    private final ConsistentReads reads;

    public ExecutionQueryController(ExecutionQueries queries, ConsistentReads reads) {
        this.queries = queries;
        this.reads = reads;
    }

    @GetMapping("/{executionId}")
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

    @GetMapping("/search")
    @Operation(summary = "Search executions", description = "A page of executions (without task runs) matching every given filter, and the total.")
    @Parameter(name = "labels", in = ParameterIn.QUERY, description = "key:value; repeat, all must match",
            array = @ArraySchema(schema = @Schema(type = "string")))
    public ResponseEntity<ExecutionPage> search(
            @PathVariable String tenant,
            @Parameter(description = "Exact namespace") @RequestParam(required = false) String namespace,
            @Parameter(description = "Namespace prefix") @RequestParam(required = false) String namespacePrefix,
            @Parameter(description = "Flow id") @RequestParam(required = false) String flowId,
            @Parameter(description = "Current state; repeat for any of several") @RequestParam(required = false) List<String> state,
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
        ExecutionFilter filter = ExecutionFilter.parse(violations, tenant, namespace, namespacePrefix, flowId, state,
                rawValues(request, "labels"), startDate, endDate, idPrefix);
        ExecutionSearch search = ExecutionSearch.parse(violations, filter, page, size, sort);
        ConsistentReads.validatePosition(violations, position);
        violations.throwIfAny();
        return reads.read(ExecutionProjection.PROCESSOR, position, () -> queries.search(search));
    }

    @GetMapping("/stats/by-state")
    @Operation(summary = "Count executions by state", description = "How many executions are in each current state.")
    public ResponseEntity<StateCounts> countByState(
            @PathVariable String tenant,
            @Parameter(description = "Exact namespace") @RequestParam(required = false) String namespace,
            @Parameter(description = "Flow id") @RequestParam(required = false) String flowId,
            @Parameter(description = "Started at or after (ISO-8601 date-time)") @RequestParam(required = false) String startDate,
            @Parameter(description = "Started at or before (ISO-8601 date-time)") @RequestParam(required = false) String endDate,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position) {
        Violations violations = new Violations();
        ExecutionFilter filter = ExecutionFilter.parse(violations, tenant, namespace, null, flowId, null, null,
                startDate, endDate, null);
        ConsistentReads.validatePosition(violations, position);
        violations.throwIfAny();
        return reads.read(ExecutionProjection.PROCESSOR, position, () -> queries.countByState(filter));
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
