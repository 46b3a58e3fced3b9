package io.osprey.command.namespace;

import io.osprey.command.dispatch.AggregateRefusal;

/**
 * The path is well-formed but the tree refuses it: a directory where a file is written, a file above the
 * path, a target that exists, a directory moved into itself. Maps to 409; nothing was written.
 */
public class PathConflictException extends RuntimeException implements AggregateRefusal {

    private final String field;
    private final String rule;

    public PathConflictException(String field, String rule, String message) {
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
