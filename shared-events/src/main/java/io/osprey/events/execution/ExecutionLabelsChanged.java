package io.osprey.events.execution;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** The execution's labels are now exactly {@code labels} (after a replace or an add). */
@Revision("1")
public record ExecutionLabelsChanged(String tenant, String executionId, List<Label> labels, Instant at) implements ExecutionEvent {
}
