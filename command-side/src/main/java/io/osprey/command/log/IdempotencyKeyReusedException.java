package io.osprey.command.log;

/** An {@code Idempotency-Key} came back with another body than the one it was first used for. Maps to 422. */
public class IdempotencyKeyReusedException extends RuntimeException {

    public static final String RULE = "idempotency-key-reused";

    public IdempotencyKeyReusedException() {
        super("this Idempotency-Key was already used for a different request body; use a new key for a new batch");
    }

    public String field() {
        return LogController.IDEMPOTENCY_KEY;
    }

    public String rule() {
        return RULE;
    }
}
