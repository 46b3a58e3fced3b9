package io.osprey.query.execution;

import io.osprey.events.execution.ExecutionCreated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler in the executions processor that, while armed, throws an {@link Error} (as an OutOfMemoryError would be)
 * on the execution it is armed for. Registered only by the test that needs it.
 */
@ProcessingGroup(ExecutionProjection.PROCESSOR)
public class ErrorInProjection {

    /** Not an OutOfMemoryError: the JVM's own flags must not take it for one. */
    static final class InjectedError extends Error {
        InjectedError() {
            super("injected error in a projection");
        }
    }

    private volatile String armedFor;
    private final AtomicInteger thrown = new AtomicInteger();

    void armFor(String executionId) {
        armedFor = executionId;
    }

    void disarm() {
        armedFor = null;
    }

    int thrown() {
        return thrown.get();
    }

    @EventHandler
    void on(ExecutionCreated event) {
        if (event.executionId().equals(armedFor)) {
            thrown.incrementAndGet();
            throw new InjectedError();
        }
    }
}
