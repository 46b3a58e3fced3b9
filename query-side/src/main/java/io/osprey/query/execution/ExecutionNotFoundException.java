package io.osprey.query.execution;

/** No execution with this id in this tenant's read model. Maps to 404. */
public class ExecutionNotFoundException extends RuntimeException {

    public ExecutionNotFoundException(String tenant, String executionId) {
        super("no execution " + executionId + " in tenant " + tenant);
    }
}
