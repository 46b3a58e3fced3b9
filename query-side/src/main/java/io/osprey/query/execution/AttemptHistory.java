package io.osprey.query.execution;

import java.util.ArrayList;
import java.util.List;

/** The stored state history of one attempt of a task run; its last entry is the attempt's current state. */
record AttemptHistory(List<StateEntry> histories) {

    AttemptHistory {
        histories = List.copyOf(histories);
    }

    static AttemptHistory startingWith(StateEntry entry) {
        return new AttemptHistory(List.of(entry));
    }

    AttemptHistory with(StateEntry entry) {
        List<StateEntry> extended = new ArrayList<>(histories);
        extended.add(entry);
        return new AttemptHistory(extended);
    }
}
