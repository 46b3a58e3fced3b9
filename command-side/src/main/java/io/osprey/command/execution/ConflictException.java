package io.osprey.command.execution;

/** The command is well-formed but contradicts the aggregate's current state (duplicate id, wrong attempt...). Maps to 409. */
public class ConflictException extends RuntimeException {

    private final String rule;

    public ConflictException(String rule, String message) {
        super(message);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
