package io.osprey.command.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.command.dispatch.CommandDispatcher;
import io.osprey.command.dispatch.CommandReceipt;
import io.osprey.command.dispatch.CommandReply;
import io.osprey.command.dispatch.RequestMetadata;
import io.osprey.command.dispatch.VersionedCommand;
import io.osprey.command.execution.ExecutionCommands.ChangeExecutionLabels;
import io.osprey.command.execution.ExecutionCommands.ChangeExecutionState;
import io.osprey.command.execution.ExecutionCommands.ChangeTaskRunState;
import io.osprey.command.execution.ExecutionCommands.CreateExecution;
import io.osprey.command.execution.ExecutionCommands.CreateTaskRun;
import io.osprey.command.execution.ExecutionCommands.KillExecution;
import io.osprey.command.execution.ExecutionCommands.RecordExecutionOutputs;
import io.osprey.command.execution.ExecutionCommands.RecordTaskRunOutputs;
import io.osprey.command.execution.ExecutionCommands.RestartExecution;
import io.osprey.command.execution.ExecutionCommands.SetExecutionVariables;
import io.osprey.command.execution.ExecutionRequests.CreateExecutionRequest;
import io.osprey.command.execution.ExecutionRequests.CreateTaskRunRequest;
import io.osprey.command.execution.ExecutionRequests.StateRequest;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.State;
import io.osprey.events.validation.Violations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The execution command API: validates, turns each request into one command, replies after commit. */
@RestController
@RequestMapping("/api/v1/{tenant}/executions")
@Tag(name = "Executions (commands)")
public class ExecutionController {

    private final CommandDispatcher dispatcher;
    private final ExecutionRequests requests;
    private final Clock clock = Clock.systemUTC();

    public ExecutionController(CommandDispatcher dispatcher, ExecutionRequests requests) {
        this.dispatcher = dispatcher;
        this.requests = requests;
    }

    @Operation(summary = "Create an execution of a flow revision; the server assigns the id unless the body has one")
    @PostMapping
    public ResponseEntity<CommandReply> create(@PathVariable String tenant,
                                               @RequestBody(required = false) CreateExecutionRequest body,
                                               RequestMetadata metadata) {
        Violations v = new Violations();
        v.tenant("tenant", tenant);
        requests.validateCreate(v, body);
        v.throwIfAny();
        ExecutionKey key = new ExecutionKey(tenant, ExecutionRequests.idOrNew(body.id()));
        CommandReceipt receipt = dispatcher.create(new CreateExecution(key.aggregateId(), tenant, key.executionId(),
                body.namespace(), body.flowId(), body.flowRevision(), orEmpty(body.labels()), orEmpty(body.inputs()),
                body.parentId(), body.trigger(), clock.instant()), metadata);
        return CommandReply.of(HttpStatus.CREATED, key.executionId(), null, receipt);
    }

    @Operation(summary = "Change the execution's state (409 when the transition is not allowed)")
    @PostMapping("/{executionId}/state")
    public ResponseEntity<CommandReply> changeState(@PathVariable String tenant, @PathVariable String executionId,
                                                    @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                    @RequestBody(required = false) StateRequest body,
                                                    RequestMetadata metadata) {
        Violations v = target(tenant, executionId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        State to = requests.state(v, body);
        v.throwIfAny();
        ExecutionKey key = new ExecutionKey(tenant, executionId);
        return update(key, new ChangeExecutionState(key.aggregateId(), expected, to, clock.instant()), metadata);
    }

    @Operation(summary = "Kill the execution: it goes to KILLING, then KILLED through the state endpoint")
    @PostMapping("/{executionId}/kill")
    public ResponseEntity<CommandReply> kill(@PathVariable String tenant, @PathVariable String executionId,
                                             @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                             RequestMetadata metadata) {
        return withoutBody(tenant, executionId, ifMatch, metadata, KillExecution::new);
    }

    @Operation(summary = "Restart a FAILED or KILLED execution: RESTARTED, with a new attempt of each failed task run")
    @PostMapping("/{executionId}/restart")
    public ResponseEntity<CommandReply> restart(@PathVariable String tenant, @PathVariable String executionId,
                                                @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                RequestMetadata metadata) {
        return withoutBody(tenant, executionId, ifMatch, metadata, RestartExecution::new);
    }

    @Operation(summary = "Replace all labels of the execution")
    @PutMapping("/{executionId}/labels")
    public ResponseEntity<CommandReply> replaceLabels(@PathVariable String tenant, @PathVariable String executionId,
                                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                      @RequestBody(required = false) List<Label> labels,
                                                      RequestMetadata metadata) {
        return changeLabels(tenant, executionId, ifMatch, labels, true, metadata);
    }

    @Operation(summary = "Add labels to the execution (a label with an existing key replaces it)")
    @PostMapping("/{executionId}/labels")
    public ResponseEntity<CommandReply> addLabels(@PathVariable String tenant, @PathVariable String executionId,
                                                  @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                  @RequestBody(required = false) List<Label> labels,
                                                  RequestMetadata metadata) {
        return changeLabels(tenant, executionId, ifMatch, labels, false, metadata);
    }

    @Operation(summary = "Replace the execution's variables")
    @PutMapping("/{executionId}/variables")
    public ResponseEntity<CommandReply> setVariables(@PathVariable String tenant, @PathVariable String executionId,
                                                     @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                     @RequestBody(required = false) Map<String, JsonNode> variables,
                                                     RequestMetadata metadata) {
        return replaceValues(tenant, executionId, null, ifMatch, "variables", variables, metadata,
                SetExecutionVariables::new);
    }

    @Operation(summary = "Replace the execution's (flow) outputs")
    @PutMapping("/{executionId}/outputs")
    public ResponseEntity<CommandReply> recordOutputs(@PathVariable String tenant, @PathVariable String executionId,
                                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                      @RequestBody(required = false) Map<String, JsonNode> outputs,
                                                      RequestMetadata metadata) {
        return replaceValues(tenant, executionId, null, ifMatch, "outputs", outputs, metadata,
                RecordExecutionOutputs::new);
    }

    @Operation(summary = "Create a task run (state CREATED, attempt 1); the server assigns its id unless the body has one")
    @PostMapping("/{executionId}/taskruns")
    public ResponseEntity<CommandReply> createTaskRun(@PathVariable String tenant, @PathVariable String executionId,
                                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                      @RequestBody(required = false) CreateTaskRunRequest body,
                                                      RequestMetadata metadata) {
        Violations v = target(tenant, executionId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        requests.validateCreateTaskRun(v, body);
        v.throwIfAny();
        ExecutionKey key = new ExecutionKey(tenant, executionId);
        String taskRunId = ExecutionRequests.idOrNew(body.taskRunId());
        CommandReceipt receipt = dispatcher.update(new CreateTaskRun(key.aggregateId(), expected, taskRunId,
                body.taskId(), body.parentTaskRunId(), body.value(), body.iteration(), clock.instant()), metadata);
        return CommandReply.of(HttpStatus.CREATED, executionId, taskRunId, receipt);
    }

    @Operation(summary = "Change a task run's state; attempt = current + 1 starts a new attempt after RETRYING")
    @PostMapping("/{executionId}/taskruns/{taskRunId}/state")
    public ResponseEntity<CommandReply> changeTaskRunState(@PathVariable String tenant, @PathVariable String executionId,
                                                           @PathVariable String taskRunId,
                                                           @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                           @RequestBody(required = false) StateRequest body,
                                                           RequestMetadata metadata) {
        Violations v = target(tenant, executionId);
        v.id("taskRunId", taskRunId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        State to = requests.state(v, body);
        if (body != null) {
            requests.attempt(v, body.attempt());
        }
        v.throwIfAny();
        ExecutionKey key = new ExecutionKey(tenant, executionId);
        return update(key, new ChangeTaskRunState(key.aggregateId(), expected, taskRunId, body.attempt(), to,
                clock.instant()), metadata);
    }

    @Operation(summary = "Replace a task run's outputs")
    @PutMapping("/{executionId}/taskruns/{taskRunId}/outputs")
    public ResponseEntity<CommandReply> recordTaskRunOutputs(@PathVariable String tenant, @PathVariable String executionId,
                                                             @PathVariable String taskRunId,
                                                             @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                             @RequestBody(required = false) Map<String, JsonNode> outputs,
                                                             RequestMetadata metadata) {
        return replaceValues(tenant, executionId, taskRunId, ifMatch, "outputs", outputs, metadata,
                (aggregateId, expected, values, at) -> new RecordTaskRunOutputs(aggregateId, expected, taskRunId, values, at));
    }

    /** Builds a command that needs nothing but its target (kill, restart). */
    private interface BodilessCommand {
        VersionedCommand of(String aggregateId, Long expectedVersion, Instant at);
    }

    private ResponseEntity<CommandReply> withoutBody(String tenant, String executionId, String ifMatch,
                                                     RequestMetadata metadata, BodilessCommand command) {
        Violations v = target(tenant, executionId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        v.throwIfAny();
        ExecutionKey key = new ExecutionKey(tenant, executionId);
        return update(key, command.of(key.aggregateId(), expected, clock.instant()), metadata);
    }

    /** Builds a command that replaces a map of JSON values (variables, outputs). */
    private interface ValuesCommand {
        VersionedCommand of(String aggregateId, Long expectedVersion, Map<String, JsonNode> values, Instant at);
    }

    private ResponseEntity<CommandReply> replaceValues(String tenant, String executionId, String taskRunId, String ifMatch,
                                                       String field, Map<String, JsonNode> values,
                                                       RequestMetadata metadata, ValuesCommand command) {
        Violations v = target(tenant, executionId);
        if (taskRunId != null) {
            v.id("taskRunId", taskRunId);
        }
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        if (v.required("body", values)) {
            requests.values(v, field, values);
        }
        v.throwIfAny();
        ExecutionKey key = new ExecutionKey(tenant, executionId);
        return update(key, command.of(key.aggregateId(), expected, values, clock.instant()), metadata);
    }

    private ResponseEntity<CommandReply> changeLabels(String tenant, String executionId, String ifMatch,
                                                      List<Label> labels, boolean replace, RequestMetadata metadata) {
        Violations v = target(tenant, executionId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        if (v.required("body", labels)) {
            requests.labels(v, "labels", labels);
        }
        v.throwIfAny();
        ExecutionKey key = new ExecutionKey(tenant, executionId);
        return update(key, new ChangeExecutionLabels(key.aggregateId(), expected, labels, replace, clock.instant()),
                metadata);
    }

    private ResponseEntity<CommandReply> update(ExecutionKey key, VersionedCommand command,
                                                RequestMetadata metadata) {
        return CommandReply.of(HttpStatus.OK, key.executionId(), null, dispatcher.update(command, metadata));
    }

    private static Violations target(String tenant, String executionId) {
        Violations v = new Violations();
        v.tenant("tenant", tenant);
        v.id("executionId", executionId);
        return v;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
