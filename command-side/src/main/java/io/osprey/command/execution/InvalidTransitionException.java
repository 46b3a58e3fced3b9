package io.osprey.command.execution;

import io.osprey.command.dispatch.AggregateRefusal;
import io.osprey.events.execution.State;

/** A state change the transition table refuses. Maps to 409. */
public class InvalidTransitionException extends RuntimeException implements AggregateRefusal {

    private final String subject;
    private final State from;
    private final State to;

    public InvalidTransitionException(String subject, State from, State to, String why) {
        super(subject + " cannot go from " + from + " to " + to + (why == null ? "" : ": " + why));
        this.subject = subject;
        this.from = from;
        this.to = to;
    }

    public String subject() {
        return subject;
    }

    public State from() {
        return from;
    }

    public State to() {
        return to;
    }
}
