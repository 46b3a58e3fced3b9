package io.osprey.bench.support;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgsTest {

    @Test
    void parsesScenarioOptionsFlagsAndEqualsForm() {
        Args args = Args.parse(new String[] {"--repo", "/r", "executions", "--executions", "20", "--clients=4",
                "--parallel-start", "--child-arg", "--a=1", "--child-arg=--b=2"}, Set.of("parallel-start"));

        assertThat(args.scenario()).isEqualTo("executions");
        assertThat(args.string("repo", null)).isEqualTo("/r");
        assertThat(args.integer("executions", 300, 1)).isEqualTo(20);
        assertThat(args.integer("clients", 8, 1)).isEqualTo(4);
        assertThat(args.integer("task-runs", 5, 0)).isEqualTo(5);
        assertThat(args.flag("parallel-start")).isTrue();
        assertThat(args.flag("keep-workdir")).isFalse();
        assertThat(args.all("child-arg")).containsExactly("--a=1", "--b=2");
    }

    @Test
    void laterValueWins() {
        Args args = Args.parse(new String[] {"executions", "--rounds", "1", "--rounds", "3"}, Set.of());
        assertThat(args.integer("rounds", 1, 1)).isEqualTo(3);
    }

    @Test
    void rejectsBadIntegersUnknownOptionsAndMissingValues() {
        Args args = Args.parse(new String[] {"executions", "--clients", "many", "--bogus", "1"}, Set.of());
        assertThatThrownBy(() -> args.integer("clients", 8, 1)).hasMessageContaining("--clients");
        assertThatThrownBy(() -> args.requireKnown(Set.of("clients"))).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> Args.parse(new String[] {"executions", "--clients"}, Set.of()))
                .hasMessageContaining("needs a value");
        Args zero = Args.parse(new String[] {"--clients", "0"}, Set.of());
        assertThatThrownBy(() -> zero.integer("clients", 8, 1)).hasMessageContaining(">= 1");
    }

    @Test
    void positionalsAfterDoubleDash() {
        Args args = Args.parse(new String[] {"executions", "--", "--not-an-option"}, Set.of());
        assertThat(args.positionals()).isEqualTo(List.of("executions", "--not-an-option"));
    }
}
