package io.osprey.blob;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobPathsTest {

    @Test
    void followsKestrasLayout() {
        assertThat(BlobPaths.executionInput("main", "company.team", "etl", "exec1", "upload", "data.csv"))
                .hasToString("osprey:///main/company.team/etl/executions/exec1/inputs/upload/data.csv");
        assertThat(BlobPaths.taskOutput("main", "company.team", "etl", "exec1", "load", "run1", "out.ion"))
                .hasToString("osprey:///main/company.team/etl/executions/exec1/tasks/load/run1/out.ion");
        assertThat(BlobPaths.executionOutput("main", "company.team", "etl", "exec1", "value.json"))
                .hasToString("osprey:///main/company.team/etl/executions/exec1/outputs/value.json");
        assertThat(BlobPaths.executionVariable("main", "company.team", "etl", "exec1", "big value.json"))
                .hasToString("osprey:///main/company.team/etl/executions/exec1/variables/big%20value.json");
        assertThat(BlobPaths.namespaceFile("main", "company.team", "scripts/etl/run me.py"))
                .hasToString("osprey:///main/company.team/_files/scripts/etl/run%20me.py");
    }

    @Test
    void givesPrefixesForAnExecutionAndForNamespaceFolders() {
        assertThat(BlobPaths.execution("main", "company.team", "etl", "exec1").value())
                .isEqualTo("main/company.team/etl/executions/exec1/");
        assertThat(BlobPaths.namespaceFiles("main", "company.team", "").value()).isEqualTo("main/company.team/_files/");
        assertThat(BlobPaths.namespaceFiles("main", "company.team", "a b/c").value()).isEqualTo("main/company.team/_files/a%20b/c/");
        assertThat(BlobPaths.execution("main", "company.team", "etl", "exec1")
                .contains(BlobPaths.taskOutput("main", "company.team", "etl", "exec1", "t", "r", "f").key())).isTrue();
        assertThat(BlobPaths.execution("main", "company.team", "etl", "exec1")
                .contains(BlobPaths.taskOutput("main", "company.team", "etl", "exec10", "t", "r", "f").key())).isFalse();
        assertThat(BlobPaths.execution("main", "company.team", "etl", "exec1")
                .contains(BlobPaths.executionOutput("main", "company.team", "etl", "exec1", "f").key())).isTrue();
        assertThat(BlobPaths.execution("main", "company.team", "etl", "exec1")
                .contains(BlobPaths.executionVariable("main", "company.team", "etl", "exec1", "f").key())).isTrue();
    }

    @Test
    void idsStartWithALetterOrDigitSoNoFlowLandsInNamespaceFiles() {
        for (String id : List.of("_files", "-x", ".x", "a/b", "a b", "", "é")) {
            assertThatThrownBy(() -> BlobPaths.executionInput("main", "ns", id, "e", "i", "f")).as(id)
                    .isInstanceOf(InvalidBlobKeyException.class);
            assertThatThrownBy(() -> BlobPaths.taskOutput("main", "ns", "flow", "e", id, "r", "f")).as(id)
                    .isInstanceOf(InvalidBlobKeyException.class);
            assertThatThrownBy(() -> BlobPaths.executionOutput("main", "ns", id, "e", "f")).as(id)
                    .isInstanceOf(InvalidBlobKeyException.class);
            assertThatThrownBy(() -> BlobPaths.executionVariable("main", "ns", "flow", id, "f")).as(id)
                    .isInstanceOf(InvalidBlobKeyException.class);
        }
        assertThatThrownBy(() -> BlobPaths.executionInput("main", "ns", "flow", null, "i", "f"))
                .isInstanceOf(InvalidBlobKeyException.class);
    }

    @Test
    void refusesPathsThatWouldLeaveTheNamespace() {
        for (String path : List.of("../x", "a/../../x", "/etc/passwd", "a//b", "a/", "./a", "a/.", "C:\\x", "a\u0001", "")) {
            assertThatThrownBy(() -> BlobPaths.namespaceFile("main", "ns", path)).as(path)
                    .isInstanceOf(InvalidBlobKeyException.class);
        }
        assertThatThrownBy(() -> BlobPaths.executionInput("main", "ns", "flow", "e", "i", "../x"))
                .isInstanceOf(InvalidBlobKeyException.class);
        for (String fileName : List.of("..", ".", "a/b", "a\\b", "", "a\u0001")) {
            assertThatThrownBy(() -> BlobPaths.executionOutput("main", "ns", "flow", "e", fileName)).as(fileName)
                    .isInstanceOf(InvalidBlobKeyException.class);
            assertThatThrownBy(() -> BlobPaths.executionVariable("main", "ns", "flow", "e", fileName)).as(fileName)
                    .isInstanceOf(InvalidBlobKeyException.class);
        }
        assertThatThrownBy(() -> BlobPaths.executionOutput("main", "../x", "flow", "e", "f"))
                .isInstanceOf(InvalidBlobKeyException.class);
        assertThatThrownBy(() -> BlobPaths.namespaceFiles("main", "ns", "../x")).isInstanceOf(InvalidBlobKeyException.class);
    }
}
