package io.osprey.query.execution;

import io.osprey.query.projection.ReadModelMiss;

/** No execution with this id in this tenant's read model. Maps to 404. */
public class ExecutionNotFoundException extends RuntimeException implements ReadModelMiss {

    public ExecutionNotFoundException(String tenant, String executionId) {
        super("no execution " + executionId + " in tenant " + tenant);
    }

    /** For a more specific "not found" of something inside an execution. */
    protected ExecutionNotFoundException(String message, boolean specific) {
        super(message);
    }
}
