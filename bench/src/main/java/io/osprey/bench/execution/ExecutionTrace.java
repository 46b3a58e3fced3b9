package io.osprey.bench.execution;

/**
 * What the load generator learned about one execution: its id and, per command in the order sent, the
 * global event position the reply carried ({@code -1} when the reply had none).
 */
record ExecutionTrace(String executionId, long[] positions) {
}
