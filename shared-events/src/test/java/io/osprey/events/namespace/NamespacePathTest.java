package io.osprey.events.namespace;

import io.osprey.events.validation.FieldViolation;
import io.osprey.events.validation.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamespacePathTest {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource({
            "a/b,             /a/b",
            "/a/b,            /a/b",
            "/a/b/,           /a/b",
            "a/b/,            /a/b",
            "/,               /",
            "etl.py,          /etl.py",
            "'/with space/x', '/with space/x'",
            "/.hidden/..x/a:b/C:x, /.hidden/..x/a:b/C:x",
            "/données/é,      /données/é",
    })
    void normalisesToOneLeadingSlashAndNoTrailingOne(String raw, String normalised) {
        assertThat(NamespacePath.parse("path", raw).value()).isEqualTo(normalised);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(null, "required"),
                Arguments.of("", "required"),
                Arguments.of("a/../b", "dot-segment"),
                Arguments.of("..", "dot-segment"),
                Arguments.of("/a/./b", "dot-segment"),
                Arguments.of("a//b", "empty-segment"),
                Arguments.of("//", "empty-segment"),
                Arguments.of("//server/share", "empty-segment"),
                Arguments.of("a/b//", "empty-segment"),
                Arguments.of("a\\b", "no-backslash"),
                Arguments.of("\\\\server\\share", "no-backslash"),
                Arguments.of("C:\\Windows\\system32", "absolute"),
                Arguments.of("c:/Windows", "absolute"),
                Arguments.of("C:", "absolute"),
                Arguments.of("a\nb", "no-control-characters"),
                Arguments.of("a\u0000b", "no-control-characters"),
                Arguments.of("a\u007Fb", "no-control-characters"),
                Arguments.of("a\u0085b", "no-control-characters"),
                Arguments.of("a\uFFFDb", "encoding"),
                Arguments.of("a\uD800b", "encoding"),
                Arguments.of("/" + "x".repeat(256), "max-segment-length"),
                Arguments.of("/" + "é".repeat(128), "max-segment-length"),
                Arguments.of(("/" + "x".repeat(200)).repeat(5) + "/" + "y".repeat(19), "max-length"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource
    void refused(String raw, String rule) {
        assertThatThrownBy(() -> NamespacePath.parse("to", raw))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    FieldViolation violation = e.violations().get(0);
                    assertThat(violation.field()).isEqualTo("to");
                    assertThat(violation.rule()).isEqualTo(rule);
                });
    }

    @Test
    void theLimitsAreInclusiveAndCountUtf8Bytes() {
        assertThat(NamespacePath.parse("path", "/" + "x".repeat(255)).name()).hasSize(255);
        assertThat(NamespacePath.parse("path", "/" + "é".repeat(127) + "x").name()).hasSize(128);
        String longest = ("/" + "x".repeat(200)).repeat(5) + "/" + "y".repeat(18);
        assertThat(longest).hasSize(1024);
        assertThat(NamespacePath.parse("path", longest).value()).isEqualTo(longest);
    }

    @Test
    void knowsItsNameParentAndAncestors() {
        NamespacePath path = NamespacePath.parse("path", "/a/b/c.txt");

        assertThat(path.name()).isEqualTo("c.txt");
        assertThat(path.parent().value()).isEqualTo("/a/b");
        assertThat(path.ancestors()).extracting(NamespacePath::value).containsExactly("/a", "/a/b");
        assertThat(NamespacePath.parse("path", "/a").parent()).isEqualTo(NamespacePath.ROOT);
        assertThat(NamespacePath.parse("path", "/a").ancestors()).isEmpty();
        assertThat(NamespacePath.ROOT.parent()).isNull();
        assertThat(NamespacePath.ROOT.name()).isEmpty();
        assertThat(NamespacePath.ROOT.isRoot()).isTrue();
    }

    @Test
    void isWithinItselfAndTheDirectoriesAboveItButNotItsNamesakes() {
        NamespacePath ab = NamespacePath.parse("path", "/a/b");

        assertThat(ab.isWithin(NamespacePath.parse("path", "/a"))).isTrue();
        assertThat(ab.isWithin(ab)).isTrue();
        assertThat(ab.isWithin(NamespacePath.ROOT)).isTrue();
        assertThat(ab.isWithin(NamespacePath.parse("path", "/a/b/c"))).isFalse();
        assertThat(NamespacePath.parse("path", "/a/bc").isWithin(ab)).isFalse();
    }

    @Test
    void movesWithTheDirectoryAboveIt() {
        NamespacePath file = NamespacePath.parse("path", "/a/b/c.txt");

        assertThat(file.moved(NamespacePath.parse("from", "/a"), NamespacePath.parse("to", "/x/y")).value())
                .isEqualTo("/x/y/b/c.txt");
        assertThat(file.moved(file, NamespacePath.parse("to", "/d.txt")).value()).isEqualTo("/d.txt");
        assertThatThrownBy(() -> file.moved(NamespacePath.parse("from", "/a/bc"), NamespacePath.parse("to", "/x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storedPathsAreReadBackWithoutTheRulesButMustBeNormalised() {
        assertThat(NamespacePath.normalised("/a/b")).isEqualTo(NamespacePath.parse("path", "a/b/"));
        assertThatThrownBy(() -> NamespacePath.normalised("a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void descendantsSortBetweenTheTwoBounds() {
        NamespacePath a = NamespacePath.parse("path", "/a");

        for (String below : new String[]{"/a/b", "/a/~", "/a/ü", "/a/\uD83D\uDE00", "/a//"}) {
            assertThat(below).isGreaterThanOrEqualTo(a.descendantsFrom()).isLessThan(a.descendantsUntil());
        }
        for (String outside : new String[]{"/a", "/a.b", "/a-b", "/a0", "/b", "/"}) {
            assertThat(outside.compareTo(a.descendantsFrom()) >= 0 && outside.compareTo(a.descendantsUntil()) < 0)
                    .as(outside).isFalse();
        }
    }
}
