package io.osprey.command.api;

import io.osprey.command.CommandSide;
import io.osprey.command.api.ExecutionFilesCommandApiTest.Form;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code osprey.files.max-file-size} below the fields' limit holds file parts only: a form's text fields count against
 * {@code max-http-form-post-size}. Every field longer than the file limit (a flow id of 12 characters at 10 bytes) was
 * a 413 "inputs.flowId is too large: a file may hold at most 10 bytes".
 */
class FileLimitBelowFieldsTest {

    @TempDir
    static Path blobRoot;
    private static CommandSide commandSide;
    private static HttpFiles files;

    @BeforeAll
    static void start() {
        commandSide = CommandSide.start("--osprey.blob.local.root=" + blobRoot, "--osprey.files.max-file-size=16B");
        files = new HttpFiles(commandSide.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    private static Form creation(String flowId) {
        return new Form().field("namespace", "company.team.with.a.long.name").field("flowId", flowId)
                .field("flowRevision", "1");
    }

    private static Reply post(Form form) {
        return files.post("/api/v1/main/executions", form.bytes(), form.contentType());
    }

    @Test
    void fieldsLongerThanTheFileLimitAreTaken() {
        Reply reply = post(creation("a-flow-id-longer-than-sixteen-bytes").field("note", "n".repeat(1000)));

        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    @Test
    void aFileUpToTheLimitIsTakenAndOneByteMoreIs413NamingTheInput() {
        Reply fits = post(creation("fits").file("data", "data.csv", "x".repeat(16).getBytes(StandardCharsets.UTF_8)));
        Reply over = post(creation("over").file("data", "data.csv", "x".repeat(17).getBytes(StandardCharsets.UTF_8)));

        assertThat(fits.status()).as(fits.body()).isEqualTo(201);
        assertThat(over.status()).as(over.body()).isEqualTo(413);
        assertThat(over.header("Content-Type")).startsWith("application/problem+json");
        assertThat(over.json().get("field").asText()).isEqualTo("inputs.data");
        assertThat(over.json().get("rule").asText()).isEqualTo("max-file-size");
    }

    @Test
    void aFileOverTheLimitAfterTheFirstBytesHeldInMemoryIs413Too() {
        Reply over = post(creation("overlarge").file("data", "data.bin", new byte[20_000]));

        assertThat(over.status()).as(over.body()).isEqualTo(413);
        assertThat(over.json().get("rule").asText()).isEqualTo("max-file-size");
    }
}
