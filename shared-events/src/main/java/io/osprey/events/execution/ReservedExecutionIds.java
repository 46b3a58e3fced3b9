package io.osprey.events.execution;

import java.util.Set;

/**
 * Ids no execution may take: the query API routes them ({@code GET .../executions/search}, {@code GET .../logs/search}),
 * so such an execution, or its lines, could not be read.
 */
public final class ReservedExecutionIds {

    private static final Set<String> RESERVED = Set.of("search");

    private ReservedExecutionIds() {
    }

    public static boolean isReserved(String id) {
        return RESERVED.contains(id);
    }
}
