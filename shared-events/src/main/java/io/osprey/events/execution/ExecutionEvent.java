package io.osprey.events.execution;

import java.time.Instant;

/** Every event of an execution's stream names its tenant, its execution and when it happened. */
public interface ExecutionEvent {
    String tenant();

    String executionId();

    Instant at();
}
