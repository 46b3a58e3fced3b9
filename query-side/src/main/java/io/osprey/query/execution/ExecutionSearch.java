package io.osprey.query.execution;

import io.osprey.events.validation.Violations;

/** A page of executions matching a filter, in a given order; pages count from 1. */
public record ExecutionSearch(ExecutionFilter filter, int page, int size, ExecutionSort sort) {

    public static final int DEFAULT_SIZE = 25;
    public static final int MAX_SIZE = 1000;

    public static ExecutionSearch parse(Violations violations, ExecutionFilter filter, Integer page, Integer size, String sort) {
        if (page != null && page < 1) {
            violations.add("page", "min", "page must be at least 1, got " + page);
        }
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            violations.add("size", size < 1 ? "min" : "max", "size must be between 1 and " + MAX_SIZE + ", got " + size);
        }
        return new ExecutionSearch(filter, page == null ? 1 : page, size == null ? DEFAULT_SIZE : size,
                ExecutionSort.parse(violations, sort));
    }

    long offset() {
        return (long) (page - 1) * size;
    }
}
