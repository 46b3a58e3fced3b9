package io.osprey.blob.s3;

import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobUri;
import io.osprey.blob.spring.BlobStoreAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node started while its S3 store is away starts all the same, its blob store DOWN, and creates its bucket once the
 * store answers, without a restart; a store that answers with a refusal still fails the start.
 */
class S3StartDuringOutageTest {

    @TempDir
    Path dir;
    private S3ProxyServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private ApplicationContextRunner node(String secretKey) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BlobStoreAutoConfiguration.class))
                .withPropertyValues("osprey.blob.type=s3", "osprey.blob.s3.endpoint=" + server.endpoint(),
                        "osprey.blob.s3.bucket=osprey-late", "osprey.blob.s3.access-key=" + S3ProxyServer.IDENTITY,
                        "osprey.blob.s3.secret-key=" + secretKey, "osprey.blob.s3.connect-timeout=2s");
    }

    @Test
    void startsWhileTheStoreIsAwayAndCreatesTheBucketWhenItAnswers() throws IOException {
        server = S3ProxyServer.notStarted(dir);
        node(S3ProxyServer.CREDENTIAL).run(context -> {
            assertThat(context).hasNotFailed();
            HealthIndicator health = context.getBean("blobStoreHealthIndicator", HealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

            server.start();

            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            BlobStore store = context.getBean(BlobStore.class);
            BlobUri uri = BlobPaths.namespaceFile("main", "company.team", "after.txt");
            byte[] bytes = "after the outage".getBytes(StandardCharsets.UTF_8);
            store.put(uri, new ByteArrayInputStream(bytes));
            try (InputStream in = store.get(uri).orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
        });
    }

    @Test
    void aStoreThatRefusesTheCredentialsFailsTheStart() throws IOException {
        server = S3ProxyServer.start(dir);
        node("not-the-secret").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("cannot create bucket osprey-late: S3 answered 403"));
    }
}
