package io.osprey.events.execution;

/** Kestra's {@code State.Type}: the states an execution and a task run move through. */
public enum State {
    CREATED,
    QUEUED,
    RUNNING,
    PAUSED,
    RESTARTED,
    KILLING,
    SUCCESS,
    WARNING,
    FAILED,
    KILLED,
    CANCELLED,
    RETRYING,
    RETRIED,
    SKIPPED,
    BREAKPOINT;

    /** Terminal states end a run; only a restart leaves them. */
    public boolean isTerminal() {
        return switch (this) {
            case SUCCESS, WARNING, FAILED, KILLED, CANCELLED, RETRIED, SKIPPED -> true;
            default -> false;
        };
    }
}
