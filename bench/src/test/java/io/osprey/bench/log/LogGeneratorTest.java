package io.osprey.bench.log;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LogGeneratorTest {

    private static final int LINES = 200_000;
    private final LogGenerator generator = new LogGenerator(42, LINES);

    @Test
    void theSameSeedGivesTheSameLinesFromAnyStartingPoint() {
        List<LogLine> all = generator.range(0, 5_000);
        assertThat(new LogGenerator(42, LINES).range(0, 5_000)).isEqualTo(all);
        assertThat(generator.range(1234, 2345)).isEqualTo(all.subList(1234, 2345));
        assertThat(new LogGenerator(43, LINES).range(0, 100)).isNotEqualTo(all.subList(0, 100));
    }

    @Test
    void neighbouringSeedsShareNoExecution() {
        LogGenerator other = new LogGenerator(43, LINES);
        Set<String> ids = new HashSet<>();
        for (int e = 0; e < generator.executions(); e++) {
            ids.add(generator.execution(e).id());
        }
        for (int e = 0; e < other.executions(); e++) {
            assertThat(ids).doesNotContain(other.execution(e).id());
        }
    }

    @Test
    void plantedTermsHaveTheirSharesAndAppearNowhereElse() {
        Map<String, Integer> levels = new HashMap<>();
        int[] rare = {0};
        int[] common = {0};
        int[] phrase = {0};
        int[] connectionAlone = {0};
        int[] resetAlone = {0};
        generator.forEach(0, LINES, line -> {
            String message = line.message().toLowerCase(Locale.ROOT);
            levels.merge(line.level(), 1, Integer::sum);
            if (message.contains(LogGenerator.RARE_TERM)) {
                rare[0]++;
            }
            if (message.contains(LogGenerator.COMMON_TERM)) {
                common[0]++;
                assertThat(message).matches("(?s).*\\bbatch\\b.*");
            }
            if (message.contains(LogGenerator.PHRASE)) {
                phrase[0]++;
            } else {
                connectionAlone[0] += message.contains("connection") ? 1 : 0;
                resetAlone[0] += message.contains("reset") ? 1 : 0;
            }
        });
        assertThat(rare[0]).isBetween(5, 45);
        assertThat(common[0] / (double) LINES).isCloseTo(0.20, within(0.01));
        assertThat(phrase[0] / (double) LINES).isCloseTo(0.03, within(0.003));
        assertThat(connectionAlone[0]).isGreaterThan(1000);
        assertThat(resetAlone[0]).isGreaterThan(1000);
        assertThat(levels.get("INFO") / (double) LINES).isCloseTo(0.80, within(0.02));
        assertThat(levels.get("DEBUG") / (double) LINES).isCloseTo(0.12, within(0.02));
        assertThat(levels.get("WARN") / (double) LINES).isCloseTo(0.05, within(0.01));
        assertThat(levels.get("ERROR") / (double) LINES).isCloseTo(0.02, within(0.01));
        assertThat(levels).containsKey("TRACE");
    }

    @Test
    void executionsHoldContiguousLinesInTimeOrderWithinThirtyDays() {
        assertThat(generator.executions()).isEqualTo(LINES / LogGenerator.AVERAGE_LINES_PER_EXECUTION);
        Instant end = LogGenerator.START.plusMillis(LogGenerator.SPAN_MILLIS);
        Set<String> namespaces = new HashSet<>();
        for (int e = 0; e < generator.executions(); e += 97) {
            LogGenerator.Execution execution = generator.execution(e);
            List<LogLine> lines = generator.range(execution.firstLine(), execution.firstLine() + execution.lineCount());
            assertThat(generator.executionOf(execution.firstLine())).isEqualTo(e);
            assertThat(generator.executionOf(execution.firstLine() + execution.lineCount() - 1)).isEqualTo(e);
            long previous = Long.MIN_VALUE;
            for (LogLine line : lines) {
                assertThat(line.executionId()).isEqualTo(execution.id());
                assertThat(line.timestampMillis()).isGreaterThanOrEqualTo(previous)
                        .isGreaterThanOrEqualTo(LogGenerator.START.toEpochMilli()).isLessThan(end.toEpochMilli());
                assertThat(line.taskId() == null).isEqualTo(line.triggerId() != null);
                previous = line.timestampMillis();
            }
        }
        for (int e = 0; e < generator.executions(); e++) {
            namespaces.add(generator.execution(e).namespace());
        }
        assertThat(namespaces).hasSize(LogGenerator.NAMESPACES.size());
        assertThat(generator.executionOf(LINES - 1)).isEqualTo(generator.executions() - 1);
    }

    @Test
    void fewerDaysKeepTheSameExecutionsInAShorterSpan() {
        LogGenerator oneDay = new LogGenerator(42, 20_000, 1);
        LogGenerator thirtyDays = new LogGenerator(42, 20_000);
        List<LogLine> compressed = oneDay.range(0, 20_000);
        List<LogLine> spread = thirtyDays.range(0, 20_000);
        long dayEnd = LogGenerator.START.toEpochMilli() + 86_400_000L;
        assertThat(compressed).allSatisfy(line -> assertThat(line.timestampMillis())
                .isGreaterThanOrEqualTo(LogGenerator.START.toEpochMilli()).isLessThan(dayEnd));
        assertThat(spread.get(19_999).timestampMillis()).isGreaterThan(dayEnd);
        for (int i = 0; i < 20_000; i += 101) {
            assertThat(compressed.get(i).executionId()).isEqualTo(spread.get(i).executionId());
            assertThat(compressed.get(i).taskId()).isEqualTo(spread.get(i).taskId());
            assertThat(compressed.get(i).level()).isEqualTo(spread.get(i).level());
        }
        assertThatThrownBy(() -> new LogGenerator(42, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tenMillionLinesSpreadOverAHundredThousandExecutionsOfVaryingSize() {
        LogGenerator large = new LogGenerator(42, 10_000_000);
        assertThat(large.executions()).isEqualTo(LogGenerator.MAX_EXECUTIONS);
        List<LogLine> tail = large.range(9_999_990, 10_000_000);
        assertThat(tail).hasSize(10);
        List<Integer> sizes = new ArrayList<>();
        for (int e = 0; e < 1000; e++) {
            sizes.add(large.execution(e).lineCount());
        }
        assertThat(sizes.stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(300);
        assertThat(sizes.stream().mapToInt(Integer::intValue).min().orElseThrow()).isGreaterThanOrEqualTo(1);
    }
}
