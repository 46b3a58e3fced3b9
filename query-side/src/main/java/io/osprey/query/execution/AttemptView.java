package io.osprey.query.execution;

/** One attempt of a task run, with its own state history (Kestra's {@code TaskRunAttempt}). */
public record AttemptView(StateView state) {
}
