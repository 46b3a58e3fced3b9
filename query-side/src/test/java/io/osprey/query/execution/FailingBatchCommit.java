package io.osprey.query.execution;

import io.osprey.events.execution.ExecutionCreated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler in the executions processor that, while armed, makes a batch fail at the very end: after the
 * projection has written its rows and the processor its token, just before the transaction commits.
 * Registered only by the test that needs it (not a component, so the application's scan leaves it out).
 */
@ProcessingGroup(ExecutionProjection.PROCESSOR)
public class FailingBatchCommit {

    private volatile String armedFor;
    private final AtomicInteger failures = new AtomicInteger();

    void armFor(String executionId) {
        armedFor = executionId;
    }

    void disarm() {
        armedFor = null;
    }

    int failures() {
        return failures.get();
    }

    @EventHandler
    void on(ExecutionCreated event) {
        if (event.executionId().equals(armedFor)) {
            CurrentUnitOfWork.get().onPrepareCommit(unitOfWork -> {
                failures.incrementAndGet();
                throw new IllegalStateException("injected failure before commit");
            });
        }
    }
}
