package io.osprey.blob;

import io.osprey.blob.local.LocalBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobStorePropertiesTest {

    @Test
    void defaultsToALocalStoreUnderData() {
        BlobStoreProperties properties = new BlobStoreProperties(null, null, null);

        assertThat(properties.type()).isEqualTo(BlobStoreProperties.Type.LOCAL);
        assertThat(properties.local().root()).isEqualTo(Path.of("data/blobs"));
    }

    @Test
    void bindsFromSpringBootConfiguration() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "osprey.blob.type", "s3",
                "osprey.blob.s3.endpoint", "http://minio:9000",
                "osprey.blob.s3.bucket", "osprey",
                "osprey.blob.s3.access-key", "ak",
                "osprey.blob.s3.secret-key", "sk",
                "osprey.blob.s3.part-size", "33554432",
                "osprey.blob.s3.upload-buffers", "3",
                "osprey.blob.s3.streamed-puts", "2",
                "osprey.blob.s3.connect-timeout", "3s",
                "osprey.blob.s3.io-timeout", "4s")));

        BlobStoreProperties properties = binder.bind("osprey.blob", BlobStoreProperties.class).get();

        assertThat(properties.type()).isEqualTo(BlobStoreProperties.Type.S3);
        assertThat(properties.s3()).isEqualTo(new BlobStoreProperties.S3("http://minio:9000", "us-east-1", "osprey", "ak", "sk",
                true, 32L * 1024 * 1024, 3, 2, true, Duration.ofSeconds(3), Duration.ofSeconds(4), null));
        assertThat(properties.s3().toString()).contains("ak").doesNotContain("sk,").doesNotContain("secretKey");
    }

    @Test
    void directDownloadsAreOffUnlessAskedForAndSignForTheStoreEndpointByDefault() {
        Map<String, String> s3 = Map.of("osprey.blob.type", "s3", "osprey.blob.s3.endpoint", "http://minio:9000",
                "osprey.blob.s3.bucket", "osprey", "osprey.blob.s3.access-key", "ak", "osprey.blob.s3.secret-key", "sk");
        Map<String, String> direct = new HashMap<>(s3);
        direct.put("osprey.blob.s3.direct-downloads.enabled", "true");
        direct.put("osprey.blob.s3.direct-downloads.expiry", "90s");

        BlobStoreProperties.DirectDownloads off = new Binder(new MapConfigurationPropertySource(s3))
                .bind("osprey.blob", BlobStoreProperties.class).get().s3().directDownloads();
        BlobStoreProperties.DirectDownloads on = new Binder(new MapConfigurationPropertySource(direct))
                .bind("osprey.blob", BlobStoreProperties.class).get().s3().directDownloads();

        assertThat(off).isEqualTo(new BlobStoreProperties.DirectDownloads(false, "http://minio:9000", Duration.ofMinutes(5)));
        assertThat(on).isEqualTo(new BlobStoreProperties.DirectDownloads(true, "http://minio:9000", Duration.ofSeconds(90)));
        assertThatThrownBy(() -> new BlobStoreProperties.DirectDownloads(true, null, Duration.ofDays(8)))
                .hasMessageContaining("direct-downloads.expiry");
        assertThatThrownBy(() -> new BlobStoreProperties.DirectDownloads(true, null, Duration.ofMillis(500)))
                .hasMessageContaining("direct-downloads.expiry");
    }

    @Test
    void checksS3Settings() {
        assertThatThrownBy(() -> new BlobStoreProperties.S3("http://minio:9000", null, null, "ak", "sk", null, null, null, null, null, null, null, null))
                .hasMessageContaining("bucket");
        assertThatThrownBy(() -> new BlobStoreProperties.S3("http://minio:9000", null, "b", "ak", "sk", null, 1024L, null, null, null, null, null, null))
                .hasMessageContaining("part-size");
        assertThatThrownBy(() -> new BlobStoreProperties.S3("http://minio:9000", null, "b", "ak", "sk", null, null, -1, null, null, null, null, null))
                .hasMessageContaining("upload-buffers");
        assertThatThrownBy(() -> new BlobStoreProperties.S3("http://minio:9000", null, "b", "ak", "sk", null, null, null, 0, null, null, null, null))
                .hasMessageContaining("streamed-puts");
        assertThatThrownBy(() -> new BlobStoreProperties.S3("http://minio:9000", null, "b", "ak", "sk", null, null, null, null, null, null, Duration.ZERO, null))
                .hasMessageContaining("io-timeout");
        BlobStoreProperties.S3 defaults = new BlobStoreProperties.S3("http://minio:9000", null, "b", "ak", "sk", null, null, null, null, null, null, null, null);
        assertThat(defaults.uploadBuffers()).isEqualTo(8);
        assertThat(defaults.ioTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.streamedPuts()).isEqualTo(BlobStoreProperties.S3.defaultStreamedPuts(Runtime.getRuntime().maxMemory(),
                BlobStoreProperties.S3.DEFAULT_PART_SIZE));
    }

    @Test
    void streamedPutsDefaultToWhatAnEighthOfTheHeapHolds() {
        long mib = 1024 * 1024;
        // each streamed put holds up to one and a half parts
        assertThat(BlobStoreProperties.S3.defaultStreamedPuts(256 * mib, 16 * mib)).isEqualTo(1);
        assertThat(BlobStoreProperties.S3.defaultStreamedPuts(2048 * mib, 16 * mib)).isEqualTo(10);
        assertThat(BlobStoreProperties.S3.defaultStreamedPuts(512 * mib, 5 * mib)).isEqualTo(8);
        assertThat(BlobStoreProperties.S3.defaultStreamedPuts(64 * mib, 64 * mib)).isEqualTo(1);
        assertThatThrownBy(() -> BlobStores.create(new BlobStoreProperties(BlobStoreProperties.Type.S3, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createsTheLocalStoreAtItsRoot(@TempDir Path dir) {
        try (BlobStore store = BlobStores.create(new BlobStoreProperties(null, new BlobStoreProperties.Local(dir.resolve("b")), null))) {
            assertThat(store).isInstanceOfSatisfying(LocalBlobStore.class, local -> assertThat(local.root()).isEqualTo(dir.resolve("b")));
            assertThat(dir.resolve("b")).isDirectory();
        }
    }
}
