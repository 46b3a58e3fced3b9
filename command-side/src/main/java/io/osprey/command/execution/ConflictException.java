package io.osprey.command.execution;

import io.osprey.command.dispatch.AggregateRefusal;

/** The command is well-formed but contradicts the aggregate's current state (duplicate id, wrong attempt...). Maps to 409. */
public class ConflictException extends RuntimeException implements AggregateRefusal {

    private final String field;
    private final String rule;

    /** {@code field}: the request's field the conflict is about. */
    public ConflictException(String field, String rule, String message) {
        super(message);
        this.field = field;
        this.rule = rule;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }
}
