package io.osprey.command.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osprey.events.execution.ReservedExecutionIds;
import io.osprey.events.execution.Label;
import io.osprey.events.execution.State;
import io.osprey.events.execution.TriggerReference;
import io.osprey.events.validation.Violations;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The request bodies of the execution command API (Kestra's field names) and the rules they must
 * pass before anything is dispatched. Every broken rule is reported, each naming its field.
 */
@Component
public class ExecutionRequests {

    public record CreateExecutionRequest(String id, String namespace, String flowId, Integer flowRevision,
                                         List<Label> labels, Map<String, JsonNode> inputs, String parentId,
                                         TriggerReference trigger) {
    }

    public record StateRequest(String state) {
    }

    /** A task run's state, and the attempt it starts (after RETRYING); an execution has no attempts to name. */
    public record TaskRunStateRequest(String state, Integer attempt) {
    }

    public record CreateTaskRunRequest(String taskId, String taskRunId, String parentTaskRunId, String value,
                                       Integer iteration) {
    }

    /**
     * Names of inputs, outputs and variables: Kestra's input id rule, a letter or digit first. A value may be stored
     * as a blob named after it, whose key takes the same rule.
     */
    private static final Pattern VALUE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int VALUE_NAME_MAX = 100;
    /** Path segments the query API serves under {@code executions/} and {@code logs/}: such an id would be unreachable. */
    private static final int TASK_RUN_VALUE_MAX = 1000;

    private final CommandLimits limits;
    private final ObjectMapper json;

    public ExecutionRequests(CommandLimits limits, ObjectMapper json) {
        this.limits = limits;
        this.json = json;
    }

    public void validateCreate(Violations v, CreateExecutionRequest body) {
        if (!v.required("body", body)) {
            return;
        }
        if (body.id() != null && v.id("id", body.id()) && ReservedExecutionIds.isReserved(body.id())) {
            v.add("id", "reserved", "id " + body.id() + " names a query endpoint (GET .../executions/" + body.id()
                    + "), so such an execution could not be read");
        }
        v.namespace("namespace", body.namespace());
        v.flowId("flowId", body.flowId());
        if (v.required("flowRevision", body.flowRevision()) && body.flowRevision() < 1) {
            v.add("flowRevision", "min", "flowRevision must be at least 1");
        }
        labels(v, "labels", body.labels());
        if (body.inputs() != null) {
            names(v, "inputs", body.inputs().keySet());
        }
        if (body.parentId() != null) {
            v.id("parentId", body.parentId());
        }
        if (body.trigger() != null) {
            v.id("trigger.id", body.trigger().id());
            if (body.trigger().type() != null && body.trigger().type().length() > 255) {
                v.add("trigger.type", "max-length", "trigger.type must be at most 255 characters");
            }
        }
    }

    public void validateCreateTaskRun(Violations v, CreateTaskRunRequest body) {
        if (!v.required("body", body)) {
            return;
        }
        v.id("taskId", body.taskId());
        if (body.taskRunId() != null) {
            v.id("taskRunId", body.taskRunId());
        }
        if (body.parentTaskRunId() != null) {
            v.id("parentTaskRunId", body.parentTaskRunId());
        }
        if (body.value() != null && body.value().length() > TASK_RUN_VALUE_MAX) {
            v.add("value", "max-length", "value must be at most " + TASK_RUN_VALUE_MAX + " characters");
        } else if (body.value() != null && body.value().indexOf('\u0000') >= 0) {
            // the read model keeps it as text, and PostgreSQL text cannot hold NUL
            v.add("value", "no-nul-character", "value must not contain the NUL character (U+0000)");
        }
        if (body.iteration() != null && body.iteration() < 0) {
            v.add("iteration", "min", "iteration must not be negative");
        }
    }

    /** Parses a state name; null when it is missing or unknown (the violation is recorded). */
    public State state(Violations v, StateRequest body) {
        return v.required("body", body) ? state(v, body.state()) : null;
    }

    public State state(Violations v, TaskRunStateRequest body) {
        if (!v.required("body", body)) {
            return null;
        }
        State state = state(v, body.state());
        attempt(v, body.attempt());
        return state;
    }

    private static State state(Violations v, String state) {
        if (!v.required("state", state)) {
            return null;
        }
        try {
            return State.valueOf(state);
        } catch (IllegalArgumentException unknown) {
            v.add("state", "enum", "state must be one of " + Arrays.toString(State.values()));
            return null;
        }
    }

    private static void attempt(Violations v, Integer attempt) {
        if (attempt != null && attempt < 1) {
            v.add("attempt", "min", "attempt must be at least 1");
        }
    }

    public void labels(Violations v, String field, List<Label> labels) {
        if (labels == null) {
            return;
        }
        if (labels.size() > limits.maxLabels()) {
            v.add(field, "max-items", field + " must hold at most " + limits.maxLabels() + " labels, got " + labels.size());
            return;
        }
        // one value per key: a second would be kept by the view, dropped by the search and the next change
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            Label label = labels.get(i);
            String at = field + "[" + i + "]";
            if (v.required(at, label) && v.labelKey(at + ".key", label.key()) && !keys.add(label.key())) {
                v.add(at + ".key", "duplicate", "label " + label.key() + " is given more than once");
            }
            if (label != null) {
                v.labelValue(at + ".value", label.value());
            }
        }
    }

    /** The names of inputs, outputs or variables (and of the file parts that carry some of them). */
    public void names(Violations v, String field, Collection<String> names) {
        names.forEach(name -> v.name(field + "." + name, name, VALUE_NAME, VALUE_NAME_MAX,
                "letters, digits, '.', '_' and '-', starting with a letter or digit"));
    }

    /** The size limit on a map of values as the event carries it. */
    public void size(Violations v, String field, Map<String, JsonNode> values) {
        try {
            int size = json.writeValueAsBytes(values).length;
            if (size > limits.maxValuesBytes()) {
                v.add(field, "max-size", field + " must be at most " + limits.maxValuesBytes()
                        + " bytes as JSON, got " + size);
            }
        } catch (JsonProcessingException e) {
            v.add(field, "json", field + " is not serializable JSON");
        }
    }

    /** Server-assigned id when the client gave none. */
    public static String idOrNew(String id) {
        return id == null ? ExecutionIds.next() : id;
    }
}
