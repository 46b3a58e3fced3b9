package io.osprey.query.execution;

import io.osprey.events.execution.Label;
import io.osprey.events.execution.State;
import io.osprey.events.validation.IsoInstant;
import io.osprey.events.validation.Violations;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which executions a search or a count looks at. Every condition is optional except the tenant; labels
 * must all match; the date range bounds the execution's start date, both ends included.
 */
public record ExecutionFilter(String tenant, String namespace, String namespacePrefix, String flowId, Set<State> states,
                              List<Label> labels, Instant startDate, Instant endDate, String idPrefix) {

    private static final Pattern NAMESPACE_PREFIX = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern ID_PREFIX = Pattern.compile("[A-Za-z0-9_-]+");

    public ExecutionFilter {
        states = states == null ? Set.of() : Set.copyOf(states);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** Reads the query parameters as sent, recording every broken rule under the parameter's name. */
    public static ExecutionFilter parse(Violations violations, String tenant, String namespace, String namespacePrefix,
                                        String flowId, List<String> states, List<String> labels,
                                        String startDate, String endDate, String idPrefix) {
        violations.tenant("tenant", tenant);
        if (namespace != null) {
            violations.namespace("namespace", namespace);
        }
        if (namespacePrefix != null) {
            violations.name("namespacePrefix", namespacePrefix, NAMESPACE_PREFIX, Violations.NAMESPACE_MAX,
                    "letters, digits, '.', '_' and '-'");
        }
        if (flowId != null) {
            violations.flowId("flowId", flowId);
        }
        if (idPrefix != null) {
            violations.name("idPrefix", idPrefix, ID_PREFIX, Violations.ID_MAX, "letters, digits, '_' and '-'");
        }
        Instant start = instant(violations, "startDate", startDate);
        Instant end = instant(violations, "endDate", endDate);
        if (start != null && end != null && end.isBefore(start)) {
            violations.add("endDate", "range", "endDate must not be before startDate");
        }
        return new ExecutionFilter(tenant, namespace, namespacePrefix, flowId, states(violations, states),
                labels(violations, labels), start == null ? null : upToMicros(start),
                end == null ? null : end.truncatedTo(ChronoUnit.MICROS), idPrefix);
    }

    /**
     * Dates are kept to the microsecond, so a bound given in nanoseconds is moved to the microsecond it admits:
     * a start date at or after 10.0000005 s is one at or after 10.000001 s.
     */
    private static Instant upToMicros(Instant start) {
        Instant down = start.truncatedTo(ChronoUnit.MICROS);
        return down.equals(start) ? start : down.plus(1, ChronoUnit.MICROS);
    }

    private static Instant instant(Violations violations, String field, String value) {
        if (value == null) {
            return null;
        }
        Instant instant = IsoInstant.parse(value);
        if (instant == null) {
            violations.add(field, "format", field + " must be an ISO-8601 date-time with an offset, like 2024-05-01T10:00:00Z; got '" + value + "'");
        }
        return instant;
    }

    private static Set<State> states(Violations violations, List<String> values) {
        Set<State> states = EnumSet.noneOf(State.class);
        for (String value : values == null ? List.<String>of() : values) {
            try {
                states.add(State.valueOf(value));
            } catch (IllegalArgumentException e) {
                violations.add("state", "enum", "state must be one of " + Arrays.toString(State.values()) + "; got '" + value + "'");
            }
        }
        return states;
    }

    private static List<Label> labels(Violations violations, List<String> values) {
        List<Label> labels = new ArrayList<>();
        for (String value : values == null ? List.<String>of() : values) {
            int colon = value.indexOf(':');
            if (colon < 0) {
                violations.add("labels", "format", "labels must be key:value; got '" + value + "'");
                continue;
            }
            String key = value.substring(0, colon);
            String labelValue = value.substring(colon + 1);
            boolean validKey = violations.labelKey("labels", key);
            boolean validValue = violations.labelValue("labels", labelValue);
            if (validKey && validValue) {
                labels.add(new Label(key, labelValue));
            }
        }
        return labels;
    }
}
