package io.osprey.events.execution;

/** A task run that a restart moved from {@code from} into a new attempt {@code attempt}. */
public record RestartedTaskRun(String taskRunId, State from, int attempt) {
}
