package io.osprey.standalone;

import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Namespace files on the embedded default: H2, blobs under the data directory, the upload limits of osprey.files. */
class StandaloneNamespaceFilesTest {

    private static final String FILES = "/api/v1/main/namespaces/company.team/files";

    @TempDir
    Path dataDir;

    @Test
    void filesAreKeptUnderTheDataDirectoryAndTheTreeIsReadBackFromH2() {
        try (ConfigurableApplicationContext app = StandaloneApplication.builder()
                .run("--server.port=0", "--osprey.data-dir=" + dataDir, "--osprey.files.max-file-size=1KB")) {
            String baseUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
            HttpFiles files = new HttpFiles(baseUrl);
            HttpJson http = new HttpJson(baseUrl);

            Reply tooLarge = files.upload(FILES + "?path=big.bin", new byte[1025]);
            assertThat(tooLarge.status()).as(tooLarge.body()).isEqualTo(413);
            assertThat(files.upload(FILES + "?path=/a/b/one.txt", "one".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
            assertThat(files.put(FILES + "?from=/a/b&to=/c").status()).isEqualTo(200);
            Reply last = files.delete(FILES + "?path=/a");
            assertThat(last.status()).isEqualTo(200);

            Reply root = http.get(FILES + "/directory?position=" + last.header("Osprey-Position"));
            assertThat(root.header("Osprey-Position-Reached")).isEqualTo("true");
            assertThat(root.json()).extracting(entry -> entry.get("fileName").asText()).containsExactly("c");
            assertThat(files.download(FILES + "?path=/c/one.txt").body()).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.isDirectory(dataDir.resolve("blobs/main/company.team/_files"))).isTrue();
    }
}
