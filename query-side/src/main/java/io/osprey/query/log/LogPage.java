package io.osprey.query.log;

import java.util.List;

/**
 * One page of a log search. {@code total} is exact when {@code totalExact}; past the counting limit it is a
 * lower bound (counting every match of a common word would cost more than the page). {@code nextCursor}
 * fetches the page after this one at any depth; null when this page is the last.
 */
public record LogPage(List<LogEntryView> results, long total, boolean totalExact, String nextCursor) {
}
