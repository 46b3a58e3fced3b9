package io.osprey.blob.local;

import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobStoreContract;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.blob.BlobUri;
import io.osprey.blob.GeneratedStream;
import io.osprey.blob.InvalidBlobKeyException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract on the local filesystem, plus what only a local store can get wrong. */
class LocalBlobStoreTest extends BlobStoreContract {

    @TempDir
    static Path dir;
    private static LocalBlobStore store;

    @BeforeAll
    static void createStore() {
        store = new LocalBlobStore(dir.resolve("blobs"));
    }

    @Override
    protected void beginPutAndCrash(BlobUri uri) throws IOException {
        Path target = store.resolve(uri.key());
        String name = target.getFileName().toString();
        Path temp = target.resolveSibling(name.substring(0, name.length() - LocalBlobStore.BLOB_SUFFIX.length())
                + LocalBlobStore.TEMP_MARK + UUID.randomUUID());
        Files.createDirectories(temp.getParent());
        Files.write(temp, new byte[]{9, 9, 9});
    }

    @Override
    protected BlobStore store() {
        return store;
    }

    @Override
    protected boolean statKnowsSha256() {
        return true;
    }

    @Test
    void aRootThatCannotBeCreatedStopsTheStoreNamingItsSetting() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");

        assertThatThrownBy(() -> new LocalBlobStore(file)).isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("osprey.blob.local.root");
        assertThatThrownBy(() -> new LocalBlobStore(file.resolve("below"))).isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("osprey.blob.local.root");
    }

    @Test
    void refusesToResolveOutsideItsRoot() {
        for (String key : List.of("../x", "main/ns/../../../etc/passwd", "/etc/passwd", "main/ns/a/../../../..",
                "main/ns/./a", "main//ns/a", "main/ns/a\\..\\..\\b", "")) {
            assertThatThrownBy(() -> store.resolve(key)).as(key).isInstanceOf(InvalidBlobKeyException.class);
        }
        assertThat(store.resolve("main/ns/a/b")).isEqualTo(store.root().resolve("main/ns/a/b" + LocalBlobStore.BLOB_SUFFIX));
    }

    @Test
    void keepsBlobsAsFilesUnderTheirKey() throws IOException {
        BlobUri uri = BlobPaths.executionInput(TENANT, namespace, "etl", "exec1", "upload", "data file.csv");

        store.put(uri, new ByteArrayInputStream(new byte[5]));

        Path file = store.root().resolve(TENANT).resolve(namespace).resolve("etl/executions/exec1/inputs/upload/data%20file.csv+blob");
        assertThat(file).isRegularFile();
        assertThat(Files.size(file)).as("content and its 32-byte SHA-256").isEqualTo(5 + 32);
    }

    /** AWS S3 allows this too; MinIO and S3Proxy do not, so it is no part of the contract. */
    @Test
    void aBlobAndAFolderMayShareAName() throws IOException {
        store.put(file("a"), new ByteArrayInputStream("file".getBytes(StandardCharsets.UTF_8)));
        store.put(file("a/b"), new ByteArrayInputStream("child".getBytes(StandardCharsets.UTF_8)));

        assertThat(read(file("a"))).asString(StandardCharsets.UTF_8).isEqualTo("file");
        assertThat(read(file("a/b"))).asString(StandardCharsets.UTF_8).isEqualTo("child");
        assertThat(store.list(BlobPaths.namespaceFiles(TENANT, namespace, ""), null, 10).entries())
                .extracting(entry -> entry.uri().path()).containsExactly("_files/a", "_files/a/b");
        assertThat(store.delete(file("a"))).isTrue();
        assertThat(read(file("a/b"))).asString(StandardCharsets.UTF_8).isEqualTo("child");
    }

    @Test
    void aFailedPutLeavesNoTemporaryFile() throws IOException {
        BlobUri uri = file("folder/broken.bin");

        assertThatThrownBy(() -> store.put(uri, GeneratedStream.failingAt(1_000_000, 1, 500_000)))
                .isInstanceOf(IOException.class);

        assertThat(filesUnder(store.root().resolve(TENANT).resolve(namespace))).isEmpty();
    }

    @Test
    void aDiskFailureIsReportedAsUnavailable() throws IOException {
        Files.writeString(store.root().resolve("blocked"), "a file where the tenant's folder should be");
        BlobUri uri = BlobPaths.namespaceFile("blocked", namespace, "x.txt");

        assertThatThrownBy(() -> store.put(uri, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(BlobStoreUnavailableException.class);
        assertThat(store.exists(uri)).isFalse();
    }

    @Test
    void strayFilesAreNotListedAndDeletesPruneEmptyFolders() throws IOException {
        BlobUri uri = file("deep/down/kept.txt");
        store.put(uri, new ByteArrayInputStream(new byte[1]));
        Path folder = store.resolve(uri.key()).getParent();
        Files.writeString(folder.resolve("kept.txt+tmp-left-by-a-crash"), "partial");
        Files.writeString(folder.resolve("notes.txt"), "not a blob");

        assertThat(store.list(BlobPaths.namespaceFiles(TENANT, namespace, ""), null, 10).entries())
                .singleElement().satisfies(entry -> assertThat(entry.uri()).isEqualTo(uri));

        Files.delete(folder.resolve("kept.txt+tmp-left-by-a-crash"));
        Files.delete(folder.resolve("notes.txt"));
        assertThat(store.delete(uri)).isTrue();
        assertThat(store.root().resolve(TENANT).resolve(namespace)).doesNotExist();
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
