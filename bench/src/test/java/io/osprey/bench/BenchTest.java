package io.osprey.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BenchTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Bench.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void usageErrorsExitWithTwoAndPrintNothingOnStdout() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("nope")).isEqualTo(2);
        assertThat(run("executions", "--bogus", "1")).isEqualTo(2);
        assertThat(run("executions", "--clients", "zero")).isEqualTo(2);
        assertThat(run("logs-ingest", "--bogus", "1")).isEqualTo(2);
        assertThat(run("logs-search", "--format", "xml")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:").contains("--executions")
                .contains("logs-ingest").contains("logs-search").contains("--skip-pg-ilike");
    }

    @Test
    void helpExitsWithZero() {
        assertThat(run("--help")).isEqualTo(0);
        assertThat(run("executions", "--help")).isEqualTo(0);
        assertThat(run("logs-search", "--help")).isEqualTo(0);
    }
}
