package io.osprey.query.execution;

/** The URI names no file recorded for this execution (or the execution does not exist). Maps to 404. */
public class ExecutionFileNotFoundException extends ExecutionNotFoundException {

    public ExecutionFileNotFoundException(String tenant, String executionId, String uri) {
        super("no file " + uri + " in execution " + executionId + " of tenant " + tenant, true);
    }
}
