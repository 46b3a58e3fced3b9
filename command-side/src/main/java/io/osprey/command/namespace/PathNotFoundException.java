package io.osprey.command.namespace;

import io.osprey.command.dispatch.AggregateRefusal;

/** The command names a file or directory the namespace does not have. Maps to 404; nothing was written. */
public class PathNotFoundException extends RuntimeException implements AggregateRefusal {

    private final String field;

    public PathNotFoundException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
