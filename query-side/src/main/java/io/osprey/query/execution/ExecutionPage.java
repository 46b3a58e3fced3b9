package io.osprey.query.execution;

import java.util.List;

/** One page of a search, and how many executions match in all. */
public record ExecutionPage(List<ExecutionView> results, long total) {
}
