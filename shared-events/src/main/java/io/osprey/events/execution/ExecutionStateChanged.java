package io.osprey.events.execution;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The execution moved from one state to another (kill requests and their end included). */
@Revision("1")
public record ExecutionStateChanged(String tenant, String executionId, State from, State to, Instant at) implements ExecutionEvent {
}
