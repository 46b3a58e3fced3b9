package io.osprey.command.dispatch;

import org.axonframework.modelling.command.ConcurrencyException;

/**
 * A command without an expected version that lost the race for its aggregate on every attempt, to other nodes
 * appending to it at the same moment: nothing was written, and the client should retry (503, not the 412 of a
 * version it named).
 */
public class ContendedException extends ConcurrencyException {

    public ContendedException(String aggregateId, int attempts, Throwable lastConflict) {
        super(aggregateId + " was changed by other commands at the same time on each of " + attempts + " attempts",
                lastConflict);
    }
}
