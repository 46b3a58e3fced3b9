package io.osprey.command.api;

import io.osprey.command.CommandSide;
import io.osprey.command.api.ExecutionFilesCommandApiTest.Form;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tomcat's form limits set to -1, Tomcat's (and Spring Boot's) "no limit": execution forms are taken. Every form with
 * a field was refused "413 ... at most -1 bytes", and every file part "413 max-part-header-size".
 */
class FormWithoutLimitsTest {

    @TempDir
    static Path blobRoot;
    private static CommandSide commandSide;
    private static HttpFiles files;

    @BeforeAll
    static void start() {
        commandSide = CommandSide.start("--osprey.blob.local.root=" + blobRoot,
                "--server.tomcat.max-http-form-post-size=-1", "--server.tomcat.max-part-header-size=-1",
                "--server.tomcat.max-part-count=-1");
        files = new HttpFiles(commandSide.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    private static Form creation(String flowId) {
        return new Form().field("namespace", "company.team").field("flowId", flowId).field("flowRevision", "1");
    }

    private static Reply post(Form form) {
        return files.post("/api/v1/main/executions", form.bytes(), form.contentType());
    }

    @Test
    void fieldsBeyondTheDefaultLimitAreTaken() {
        // over the 2 MB default of max-http-form-post-size
        Reply reply = post(creation("nofieldslimit").field("big", "x".repeat(2 * 1024 * 1024 + 1)));

        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    @Test
    void aPartWithLongHeadersIsTaken() {
        // 9000 characters of headers: over the 8 KB default of max-part-header-size
        Reply reply = post(creation("noheaderslimit").part("form-data; name=\"note\"; comment=\"" + "n".repeat(9000)
                + "\"", "hello"));

        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    @Test
    void morePartsThanTheDefaultLimitAreTaken() {
        Form form = creation("nopartslimit");
        for (int i = 0; i < 1000; i++) {
            form.field("input" + i, "1");
        }
        Reply reply = post(form);

        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }
}
