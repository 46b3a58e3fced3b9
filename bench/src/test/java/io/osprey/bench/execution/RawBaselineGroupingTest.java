package io.osprey.bench.execution;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RawBaselineGroupingTest {

    private static RawBaseline.EventRow row(long index, String aggregate, long sequence) {
        return new RawBaseline.EventRow(index, aggregate, sequence, "Execution", "ev-" + index, new byte[0],
                new byte[] {1}, null, "T", "2025-01-01T00:00:00Z");
    }

    @Test
    void splitsRowsPerCommandUsingReplyPositions() {
        List<RawBaseline.EventRow> rows = new ArrayList<>();
        rows.add(row(1, "a", 0));   // a: create (2 events)
        rows.add(row(2, "b", 0));   // b: create
        rows.add(row(3, "a", 1));
        rows.add(row(4, "b", 1));   // b: state
        rows.add(row(5, "a", 2));   // a: state
        rows.add(row(6, "x", 0));   // no command points at x
        rows.add(row(7, "a", 3));   // after a's last reply position

        List<ExecutionTrace> traces = List.of(
                new ExecutionTrace("A", new long[] {3, 5}),
                new ExecutionTrace("B", new long[] {2, 4, -1}));

        RawBaseline.Grouping g = RawBaseline.group(rows, traces);

        assertThat(g.executions()).hasSize(2);
        List<List<RawBaseline.EventRow>> a = g.executions().get(0).commands();
        assertThat(a).hasSize(2);
        assertThat(a.get(0)).extracting(RawBaseline.EventRow::globalIndex).containsExactly(1L, 3L);
        assertThat(a.get(1)).extracting(RawBaseline.EventRow::globalIndex).containsExactly(5L);
        List<List<RawBaseline.EventRow>> b = g.executions().get(1).commands();
        assertThat(b).extracting(List::size).containsExactly(1, 1);
        assertThat(g.rows()).isEqualTo(5);
        assertThat(g.commands()).isEqualTo(4);
        assertThat(g.unmatchedRows()).isEqualTo(2);
    }

    @Test
    void traceWithoutKnownPositionsGivesEmptyExecution() {
        RawBaseline.Grouping g = RawBaseline.group(List.of(row(1, "a", 0)),
                List.of(new ExecutionTrace("A", new long[] {-1, 99})));
        assertThat(g.executions()).hasSize(1);
        assertThat(g.executions().get(0).commands()).isEmpty();
        assertThat(g.unmatchedRows()).isEqualTo(1);
    }
}
