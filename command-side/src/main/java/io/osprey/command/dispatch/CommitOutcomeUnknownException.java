package io.osprey.command.dispatch;

/**
 * The database failed while a command committed, and did not answer whether its events were stored within the time
 * it was asked: the command may have been written. Maps to a 503 that says so, unlike the 503 of a command that
 * failed before anything was written.
 */
public class CommitOutcomeUnknownException extends RuntimeException {

    /** {@code what} was written: "the command on ...", "the log batch ...". */
    public CommitOutcomeUnknownException(String what, Throwable failure) {
        super("the database failed while " + what + " committed and has not said whether it was written; "
                + "read it before sending it again", failure);
    }
}
