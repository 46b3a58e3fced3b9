package io.osprey.query.execution;

import io.osprey.events.validation.Violations;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The order of search results: one field, ascending or descending, with the id breaking ties for stable pages. */
public record ExecutionSort(Field field, boolean descending) {

    public static final ExecutionSort DEFAULT = new ExecutionSort(Field.START_DATE, true);

    public enum Field {
        ID("id", "id", false),
        NAMESPACE("namespace", "namespace", false),
        FLOW_ID("flowId", "flow_id", false),
        STATE("state.current", "state_current", false),
        START_DATE("state.startDate", "start_date", false),
        END_DATE("state.endDate", "end_date", true);

        private final String parameter;
        private final String column;
        private final boolean nullable;

        Field(String parameter, String column, boolean nullable) {
            this.parameter = parameter;
            this.column = column;
            this.nullable = nullable;
        }
    }

    /** Reads {@code field[:asc|desc]} (ascending when the direction is left out). */
    public static ExecutionSort parse(Violations violations, String value) {
        if (value == null) {
            return DEFAULT;
        }
        String[] parts = value.split(":", -1);
        Field field = Arrays.stream(Field.values()).filter(f -> f.parameter.equals(parts[0])).findFirst().orElse(null);
        if (field == null) {
            violations.add("sort", "enum", "sort must start with one of "
                    + Arrays.stream(Field.values()).map(f -> f.parameter).collect(Collectors.joining(", ")) + "; got '" + value + "'");
        }
        if (parts.length > 2 || (parts.length == 2 && !parts[1].equals("asc") && !parts[1].equals("desc"))) {
            violations.add("sort", "format", "sort must be field:asc or field:desc; got '" + value + "'");
            return DEFAULT;
        }
        return field == null ? DEFAULT : new ExecutionSort(field, parts.length == 2 && parts[1].equals("desc"));
    }

    /** The SQL ORDER BY list; nulls (executions not ended) come last either way. */
    String orderBy() {
        String direction = descending ? " DESC" : " ASC";
        String order = field.column + direction + (field.nullable ? " NULLS LAST" : "");
        return field == Field.ID ? order : order + ", id" + direction;
    }
}
