package io.osprey.command.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobUri;
import io.osprey.command.dispatch.CommandDispatcher;
import io.osprey.command.dispatch.CommandReceipt;
import io.osprey.command.dispatch.CommandReply;
import io.osprey.command.dispatch.CommitOutcomeUnknownException;
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
import io.osprey.command.execution.ExecutionFiles.Location;
import io.osprey.command.execution.ExecutionFiles.Stored;
import io.osprey.command.execution.ExecutionFiles.Upload;
import io.osprey.command.execution.ExecutionRequests.CreateExecutionRequest;
import io.osprey.command.execution.ExecutionRequests.CreateTaskRunRequest;
import io.osprey.command.execution.ExecutionRequests.StateRequest;
import io.osprey.command.execution.ExecutionRequests.TaskRunStateRequest;
import io.osprey.events.EventClock;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.FileReference;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.State;
import io.osprey.events.execution.TaskRunCreated;
import io.osprey.events.validation.Violations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateNotFoundException;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** The execution command API: validates, turns each request into one command, replies after commit. */
@RestController
@RequestMapping(value = "/api/v1/{tenant}/executions", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Executions (commands)")
public class ExecutionController {

    private final CommandDispatcher dispatcher;
    private final ExecutionRequests requests;
    private final ExecutionForms forms;
    private final ExecutionFiles files;
    private final EventStore eventStore;
    private final Clock clock = EventClock.utc();

    public ExecutionController(CommandDispatcher dispatcher, ExecutionRequests requests, ExecutionForms forms,
                               ExecutionFiles files, EventStore eventStore) {
        this.dispatcher = dispatcher;
        this.requests = requests;
        this.forms = forms;
        this.files = files;
        this.eventStore = eventStore;
    }

    @Operation(summary = "Create an execution of a flow revision; the server assigns the id unless the body has one")
    @PostMapping
    public ResponseEntity<CommandReply> create(@PathVariable String tenant,
                                               @RequestBody(required = false) CreateExecutionRequest body,
                                               RequestMetadata metadata) {
        Violations v = new Violations();
        v.tenant("tenant", tenant);
        return create(v, tenant, body, List.of(), metadata);
    }

    @Operation(summary = "Create an execution from a form: fields id, namespace, flowId, flowRevision, labels (a JSON "
            + "array), parentId; every other field is an input (JSON when it parses as JSON, else a string) and every "
            + "file part an input file named by its part")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<CommandReply> createWithFiles(@PathVariable String tenant,
                                                        @Parameter(hidden = true) HttpServletRequest request,
                                                        RequestMetadata metadata) {
        Violations v = new Violations();
        v.tenant("tenant", tenant);
        ExecutionForms.CreateForm form = forms.create(v, request);
        return create(v, tenant, form.request(), form.uploads(), metadata);
    }

    /** Checks everything, stores the blobs, then creates; a refused creation leaves no blob behind. */
    private ResponseEntity<CommandReply> create(Violations v, String tenant, CreateExecutionRequest body,
                                                List<Upload> uploads, RequestMetadata metadata) {
        requests.validateCreate(v, body);
        if (body == null) {
            v.throwIfAny();
        }
        requests.names(v, "inputs", uploads.stream().map(Upload::name).toList());
        String executionId = ExecutionRequests.idOrNew(body.id());
        Location location = !v.isEmpty() ? null : (folder, name, fileName) -> under(BlobPaths.executionInput(
                tenant, body.namespace(), body.flowId(), executionId, name, folder), fileName);
        ExecutionFiles.Plan plan = files.plan(v, "inputs", body.inputs(), uploads, location);
        requests.size(v, "inputs", files.inline(plan));
        v.throwIfAny();
        ExecutionKey key = new ExecutionKey(tenant, executionId);
        if (body.id() != null) {
            dispatcher.requireNew(key.aggregateId());
        }
        Stored stored = files.store(plan);
        CommandReceipt receipt = discardingIfNotWritten(stored, () -> dispatcher.create(new CreateExecution(
                key.aggregateId(), tenant, key.executionId(), body.namespace(), body.flowId(), body.flowRevision(),
                orEmpty(body.labels()), stored.values(), body.parentId(), body.trigger(), stored.files(),
                clock.instant()), metadata));
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

    @Operation(summary = "Replace the execution's variables; a variable larger than "
            + "osprey.command.limits.inline-value-bytes is stored as a blob and recorded as its osprey:/// URI")
    @PutMapping("/{executionId}/variables")
    public ResponseEntity<CommandReply> setVariables(@PathVariable String tenant, @PathVariable String executionId,
                                                     @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                     @RequestBody(required = false) Map<String, JsonNode> variables,
                                                     RequestMetadata metadata) {
        Violations v = target(tenant, executionId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        v.required("body", variables);
        ExecutionKey key = new ExecutionKey(tenant, executionId);
        return replaceValues(v, key, expected, "variables", variables, List.of(),
                executionLocation(key, BlobPaths::executionVariable), metadata, SetExecutionVariables::new);
    }

    @Operation(summary = "Replace the execution's (flow) outputs; an output larger than "
            + "osprey.command.limits.inline-value-bytes is stored as a blob and recorded as its osprey:/// URI")
    @PutMapping("/{executionId}/outputs")
    public ResponseEntity<CommandReply> recordOutputs(@PathVariable String tenant, @PathVariable String executionId,
                                                      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                      @RequestBody(required = false) Map<String, JsonNode> outputs,
                                                      RequestMetadata metadata) {
        Violations v = target(tenant, executionId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        v.required("body", outputs);
        return recordOutputs(v, tenant, executionId, expected, outputs, List.of(), metadata);
    }

    @Operation(summary = "Replace the execution's (flow) outputs from a form: every field is an output (JSON when it "
            + "parses as JSON, else a string) and every file part an output file named by its part")
    @PutMapping(value = "/{executionId}/outputs", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<CommandReply> recordOutputFiles(@PathVariable String tenant, @PathVariable String executionId,
                                                          @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                          @Parameter(hidden = true) HttpServletRequest request,
                                                          RequestMetadata metadata) {
        Violations v = target(tenant, executionId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        v.throwIfAny();
        ExecutionForms.Form form = forms.values(v, request, "outputs");
        return recordOutputs(v, tenant, executionId, expected, form.values(), form.uploads(), metadata);
    }

    private ResponseEntity<CommandReply> recordOutputs(Violations v, String tenant, String executionId, Long expected,
                                                       Map<String, JsonNode> outputs, List<Upload> uploads,
                                                       RequestMetadata metadata) {
        ExecutionKey key = new ExecutionKey(tenant, executionId);
        return replaceValues(v, key, expected, "outputs", outputs, uploads,
                executionLocation(key, BlobPaths::executionOutput), metadata, RecordExecutionOutputs::new);
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
                                                           @RequestBody(required = false) TaskRunStateRequest body,
                                                           RequestMetadata metadata) {
        Violations v = target(tenant, executionId);
        v.id("taskRunId", taskRunId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        State to = requests.state(v, body);
        v.throwIfAny();
        ExecutionKey key = new ExecutionKey(tenant, executionId);
        return update(key, new ChangeTaskRunState(key.aggregateId(), expected, taskRunId, body.attempt(), to,
                clock.instant()), metadata);
    }

    @Operation(summary = "Replace a task run's outputs; an output larger than osprey.command.limits.inline-value-bytes "
            + "is stored as a blob and recorded as its osprey:/// URI")
    @PutMapping("/{executionId}/taskruns/{taskRunId}/outputs")
    public ResponseEntity<CommandReply> recordTaskRunOutputs(@PathVariable String tenant, @PathVariable String executionId,
                                                             @PathVariable String taskRunId,
                                                             @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                             @RequestBody(required = false) Map<String, JsonNode> outputs,
                                                             RequestMetadata metadata) {
        Violations v = target(tenant, executionId);
        v.id("taskRunId", taskRunId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        v.required("body", outputs);
        return recordTaskRunOutputs(v, tenant, executionId, taskRunId, expected, outputs, List.of(), metadata);
    }

    @Operation(summary = "Replace a task run's outputs from a form: every field is an output (JSON when it parses as "
            + "JSON, else a string) and every file part an output file named by its part")
    @PutMapping(value = "/{executionId}/taskruns/{taskRunId}/outputs", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<CommandReply> recordTaskRunOutputFiles(@PathVariable String tenant, @PathVariable String executionId,
                                                                 @PathVariable String taskRunId,
                                                                 @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                                 @Parameter(hidden = true) HttpServletRequest request,
                                                                 RequestMetadata metadata) {
        Violations v = target(tenant, executionId);
        v.id("taskRunId", taskRunId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        v.throwIfAny();
        ExecutionForms.Form form = forms.values(v, request, "outputs");
        return recordTaskRunOutputs(v, tenant, executionId, taskRunId, expected, form.values(), form.uploads(), metadata);
    }

    private ResponseEntity<CommandReply> recordTaskRunOutputs(Violations v, String tenant, String executionId,
                                                              String taskRunId, Long expected,
                                                              Map<String, JsonNode> outputs, List<Upload> uploads,
                                                              RequestMetadata metadata) {
        ExecutionKey key = new ExecutionKey(tenant, executionId);
        Location location = new LazyLocation(folder -> {
            Origin origin = origin(key, taskRunId);
            return BlobPaths.taskOutput(key.tenant(), origin.execution().namespace(), origin.execution().flowId(),
                    key.executionId(), origin.taskRun().taskId(), taskRunId, folder);
        });
        return replaceValues(v, key, expected, "outputs", outputs, uploads, location, metadata,
                (aggregateId, version, values, stored, at) ->
                        new RecordTaskRunOutputs(aggregateId, version, taskRunId, values, stored, at));
    }

    /** Builds a command that replaces a map of values, some of them stored as blobs (outputs, variables). */
    private interface ValuesCommand {
        VersionedCommand of(String aggregateId, Long expectedVersion, Map<String, JsonNode> values,
                            List<FileReference> files, Instant at);
    }

    /**
     * Checks the values and files, stores those that do not stay inline below {@code location}, then sends the
     * command; a refused command leaves no blob behind.
     */
    private ResponseEntity<CommandReply> replaceValues(Violations v, ExecutionKey key, Long expected, String field,
                                                       Map<String, JsonNode> values, List<Upload> uploads,
                                                       Location location, RequestMetadata metadata,
                                                       ValuesCommand command) {
        if (values != null) {
            requests.names(v, field, values.keySet());
        }
        requests.names(v, field, uploads.stream().map(Upload::name).toList());
        ExecutionFiles.Plan plan = files.plan(v, field, values, uploads, v.isEmpty() ? location : null);
        requests.size(v, field, files.inline(plan));
        v.throwIfAny();
        Stored stored = files.store(plan);
        return CommandReply.of(HttpStatus.OK, key.executionId(), null, discardingIfNotWritten(stored, () -> dispatcher.update(
                command.of(key.aggregateId(), expected, stored.values(), stored.files(), clock.instant()), metadata)));
    }

    /** Where the blobs of an execution's own outputs or variables go: {@code folder} below its namespace and flow. */
    private interface ExecutionFolder {
        BlobUri of(String tenant, String namespace, String flowId, String executionId, String folder);
    }

    private Location executionLocation(ExecutionKey key, ExecutionFolder place) {
        return new LazyLocation(folder -> {
            ExecutionCreated execution = origin(key, null).execution();
            return place.of(key.tenant(), execution.namespace(), execution.flowId(), key.executionId(), folder);
        });
    }

    /**
     * A request's blobs go below a folder that depends on the execution's namespace and flow, which only its
     * events know: they are read once per request, and only when a value or file needs a blob.
     */
    private static final class LazyLocation implements Location {
        private final Function<String, BlobUri> folderOf;
        private BlobUri base;

        LazyLocation(Function<String, BlobUri> folderOf) {
            this.folderOf = folderOf;
        }

        @Override
        public BlobUri of(String folder, String name, String fileName) {
            if (base == null) {
                base = folderOf.apply(folder);
            }
            return under(base, name, fileName);
        }
    }

    /** The creation of an execution and, when asked for, of one of its task runs. */
    private record Origin(ExecutionCreated execution, TaskRunCreated taskRun) {
    }

    /** Reads the execution's events up to its creation, or up to the task run's ({@code taskRunId} not null). */
    private Origin origin(ExecutionKey key, String taskRunId) {
        ExecutionCreated created = null;
        TaskRunCreated taskRun = null;
        DomainEventStream events = eventStore.readEvents(key.aggregateId(), 0);
        while (events.hasNext() && (created == null || taskRunId != null && taskRun == null)) {
            Object payload = events.next().getPayload();
            if (payload instanceof ExecutionCreated first) {
                created = first;
            } else if (payload instanceof TaskRunCreated run && run.taskRunId().equals(taskRunId)) {
                taskRun = run;
            }
        }
        if (created == null) {
            throw new AggregateNotFoundException(key.aggregateId(), "no such execution");
        }
        if (taskRunId != null && taskRun == null) {
            throw new UnknownTaskRunException(key.executionId(), taskRunId);
        }
        return new Origin(created, taskRun);
    }

    private static BlobUri under(BlobUri base, String... segments) {
        List<String> path = new ArrayList<>(base.segments());
        path.addAll(List.of(segments));
        return BlobUri.of(base.tenant(), base.namespace(), path.toArray(String[]::new));
    }

    /**
     * Sends a command that points at freshly stored blobs; when it is not written (the aggregate refused it, or it
     * failed before its commit: the database away, the node busy), they are removed.
     */
    private CommandReceipt discardingIfNotWritten(Stored stored, Supplier<CommandReceipt> send) {
        try {
            return send.get();
        } catch (CommitOutcomeUnknownException maybeWritten) {
            throw maybeWritten; // its blobs stay: the sweep removes them if no event came to point at them
        } catch (RuntimeException notWritten) {
            files.discard(stored.uris());
            throw notWritten;
        }
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

    private ResponseEntity<CommandReply> changeLabels(String tenant, String executionId, String ifMatch,
                                                      List<Label> labels, boolean replace, RequestMetadata metadata) {
        Violations v = target(tenant, executionId);
        Long expected = CommandReply.expectedVersion(ifMatch, v);
        if (v.required("body", labels)) {
            requests.labels(v, "labels", labels);
            if (!replace && labels.isEmpty()) {
                // adding nothing would still write an event and move the version
                v.add("labels", "min-items", "labels to add must hold at least one label; PUT [] removes them all");
            }
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
