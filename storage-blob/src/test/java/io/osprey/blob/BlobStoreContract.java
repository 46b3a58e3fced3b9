package io.osprey.blob;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link BlobStore} adapter promises. Each adapter's test extends this class and supplies
 * the store; every test works in a namespace of its own, so the tests share one store per class.
 */
public abstract class BlobStoreContract {

    protected static final String TENANT = "main";
    private static final long MIB = 1024 * 1024;
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    protected String namespace;

    protected abstract BlobStore store();

    /** Whether {@link BlobStore#stat} reports the SHA-256 too (put always does). */
    protected abstract boolean statKnowsSha256();

    /** Starts a put of {@code uri} the way this store does and leaves it unfinished, as a writer that crashed. */
    protected abstract void beginPutAndCrash(BlobUri uri) throws Exception;

    private BlobInfo statOf(BlobInfo put) {
        return statKnowsSha256() ? put : new BlobInfo(put.uri(), put.size(), null);
    }

    @BeforeEach
    void useFreshNamespace() {
        namespace = "company.team" + NAMESPACES.incrementAndGet();
    }

    protected BlobUri file(String path) {
        return BlobPaths.namespaceFile(TENANT, namespace, path);
    }

    protected BlobInfo put(BlobUri uri, byte[] bytes) throws IOException {
        return store().put(uri, new ByteArrayInputStream(bytes));
    }

    protected byte[] read(BlobUri uri) throws IOException {
        try (InputStream in = store().get(uri).orElseThrow()) {
            return in.readAllBytes();
        }
    }

    @Test
    void unfinishedPutsStartedBeforeTheCutoffAreDeletedAndNothingElse() throws Exception {
        BlobUri finished = file("unfinished/finished.bin");
        put(finished, new byte[]{1, 2, 3});
        BlobUri elsewhere = BlobPaths.namespaceFile(TENANT, namespace + "x", "unfinished/cut.bin");
        beginPutAndCrash(file("unfinished/cut.bin"));
        beginPutAndCrash(elsewhere);
        BlobPrefix here = BlobPaths.namespaceFiles(TENANT, namespace, "");

        assertThat(store().deleteUnfinished(here, Instant.now().minusSeconds(3600))).as("too recent").isZero();
        assertThat(store().deleteUnfinished(here, Instant.now().plusSeconds(60))).isEqualTo(1);
        assertThat(store().deleteUnfinished(here, Instant.now().plusSeconds(60))).isZero();
        assertThat(read(finished)).containsExactly(1, 2, 3);
        assertThat(store().deleteUnfinished(BlobPaths.namespaceFiles(TENANT, namespace + "x", ""),
                Instant.now().plusSeconds(60))).as("another prefix's").isEqualTo(1);
    }

    @Test
    public void putReturnsSizeAndSha256AndGetReturnsTheBytes() throws IOException {
        byte[] bytes = "hello, blob store".getBytes(StandardCharsets.UTF_8);
        BlobUri uri = file("greeting.txt");

        BlobInfo info = put(uri, bytes);

        assertThat(info).isEqualTo(new BlobInfo(uri, bytes.length, GeneratedStream.sha256Hex(bytes)));
        assertThat(read(uri)).isEqualTo(bytes);
    }

    /** Sizes at the edges of a part (5 MiB in the S3 adapter's tests) and of the usual 64 KiB read buffers. */
    @Test
    public void keepsEveryByteOfBlobsAroundBufferSizes() throws IOException {
        long[] sizes = {1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 5 * MIB - 1, 5 * MIB, 5 * MIB + 1};
        for (long size : sizes) {
            GeneratedStream content = GeneratedStream.of(size, size);
            BlobUri uri = file("edge-" + size + ".bin");

            BlobInfo info = store().put(uri, content);

            GeneratedStream.Digest sent = new GeneratedStream.Digest(size, content.sha256Hex());
            assertThat(new GeneratedStream.Digest(info.size(), info.sha256())).as("size %d", size).isEqualTo(sent);
            assertThat(GeneratedStream.digest(store().get(uri).orElseThrow())).as("size %d", size).isEqualTo(sent);
        }
    }

    /** More puts at once than the S3 adapter's test gives it buffers for (3), of sizes on both sides of 5 MiB. */
    @Test
    public void concurrentPutsEachKeepTheirOwnBytes() throws Exception {
        long[] sizes = {0, 1, 1000, 64 * 1024, MIB, 2 * MIB + 3, 3 * MIB, 5 * MIB - 1, 5 * MIB + 1, 6 * MIB};
        ExecutorService threads = Executors.newFixedThreadPool(sizes.length);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<GeneratedStream.Digest>> sent = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                long size = sizes[i];
                BlobUri uri = file("concurrent-" + i + ".bin");
                long seed = i;
                sent.add(threads.submit(() -> {
                    start.await();
                    GeneratedStream content = GeneratedStream.of(size, seed);
                    BlobInfo info = store().put(uri, content);
                    assertThat(info.size()).isEqualTo(size);
                    return new GeneratedStream.Digest(size, content.sha256Hex());
                }));
            }
            start.countDown();
            for (int i = 0; i < sizes.length; i++) {
                GeneratedStream.Digest expected = sent.get(i).get(2, TimeUnit.MINUTES);
                assertThat(GeneratedStream.digest(store().get(file("concurrent-" + i + ".bin")).orElseThrow()))
                        .as("put %d", i).isEqualTo(expected);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    public void streamsAnUnknownLengthLargerThanOnePart() throws IOException {
        long size = 23 * MIB + 12345;
        GeneratedStream content = GeneratedStream.of(size, 42);
        BlobUri uri = BlobPaths.taskOutput(TENANT, namespace, "etl", "4mYc8ZqQo8Ve3nGQ2q0bFx", "extract", "1xRt2ebXlm0d9SGzQvT9Rk", "rows.ion");

        BlobInfo info = store().put(uri, content);

        GeneratedStream.Digest sent = new GeneratedStream.Digest(size, content.sha256Hex());
        assertThat(new GeneratedStream.Digest(info.size(), info.sha256())).isEqualTo(sent);
        assertThat(GeneratedStream.digest(store().get(uri).orElseThrow())).isEqualTo(sent);
    }

    @Test
    public void rangedGetsCutAtTheEnd() throws IOException {
        byte[] bytes = new byte[1000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        BlobUri uri = file("ranges.bin");
        put(uri, bytes);

        assertThat(range(uri, 0, 10)).isEqualTo(slice(bytes, 0, 10));
        assertThat(range(uri, 400, 123)).isEqualTo(slice(bytes, 400, 123));
        assertThat(range(uri, 990, 10)).isEqualTo(slice(bytes, 990, 10));
        assertThat(range(uri, 995, 100)).as("cut at the end").isEqualTo(slice(bytes, 995, 5));
        assertThat(range(uri, 600, Long.MAX_VALUE)).as("to the end").isEqualTo(slice(bytes, 600, 400));
        assertThat(range(uri, 1000, 10)).as("starting at the end").isEmpty();
        assertThat(range(uri, 5000, 10)).as("starting past the end").isEmpty();
        assertThat(range(uri, 10, 0)).as("no bytes asked").isEmpty();
        assertThat(store().get(file("absent.bin"), 0, 10)).isEmpty();
        assertThatThrownBy(() -> store().get(uri, -1, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void rangedGetOfALargeBlobSkipsToTheOffset() throws IOException {
        long size = 12 * MIB;
        BlobUri uri = file("large.bin");
        store().put(uri, GeneratedStream.of(size, 7));
        GeneratedStream expected = GeneratedStream.of(size, 7);
        expected.readNBytes((int) (10 * MIB));
        byte[] tail = expected.readNBytes(1000);

        assertThat(range(uri, 10 * MIB, 1000)).isEqualTo(tail);
    }

    @Test
    public void statAndExistsTellPresentFromAbsent() throws IOException {
        byte[] bytes = "x".repeat(321).getBytes(StandardCharsets.UTF_8);
        BlobUri uri = file("present.txt");
        put(uri, bytes);

        assertThat(store().stat(uri)).contains(statOf(new BlobInfo(uri, 321, GeneratedStream.sha256Hex(bytes))));
        assertThat(store().exists(uri)).isTrue();
        assertThat(store().stat(file("absent.txt"))).isEmpty();
        assertThat(store().exists(file("absent.txt"))).isFalse();
        assertThat(store().get(file("absent.txt"))).isEmpty();
    }

    @Test
    public void listPagesThroughAPrefixInKeyOrder() throws IOException {
        List<String> names = new ArrayList<>(List.of("a", "a-c", "a0", "ab/c", "b/c.e", "b/c/d", "b/c0", "z"));
        IntStream.range(0, 18).forEach(i -> names.add("many/f" + i));
        for (String name : names) {
            put(file(name), name.getBytes(StandardCharsets.UTF_8));
        }
        put(BlobPaths.namespaceFile(TENANT, namespace + "x", "outside"), new byte[1]);
        put(BlobPaths.namespaceFile("other", namespace, "a"), new byte[1]);
        Instant before = Instant.now().minus(Duration.ofMinutes(5));

        BlobPrefix prefix = BlobPaths.namespaceFiles(TENANT, namespace, "");
        List<BlobEntry> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String after = null;
        do {
            BlobPage page = store().list(prefix, after, 4);
            pageSizes.add(page.entries().size());
            seen.addAll(page.entries());
            after = page.next();
        } while (after != null);

        List<String> expectedKeys = names.stream().map(name -> file(name).key()).sorted().toList();
        assertThat(seen).extracting(entry -> entry.uri().key()).containsExactlyElementsOf(expectedKeys);
        assertThat(pageSizes).containsExactly(4, 4, 4, 4, 4, 4, 2);
        assertThat(seen).allSatisfy(entry -> {
            List<String> segments = entry.uri().segments();
            String name = String.join("/", segments.subList(1, segments.size()));
            assertThat(entry.size()).as("each blob holds its own name").isEqualTo(name.length());
            assertThat(entry.lastModified()).isAfter(before);
        });
    }

    @Test
    public void aPageThatEndsTheListingHasNoNextMarker() throws IOException {
        for (String name : List.of("one", "two", "three")) {
            put(file(name), new byte[1]);
        }
        BlobPrefix prefix = BlobPaths.namespaceFiles(TENANT, namespace, "");

        BlobPage exact = store().list(prefix, null, 3);
        BlobPage first = store().list(prefix, null, 2);
        BlobPage rest = store().list(prefix, first.next(), 2);

        assertThat(exact.entries()).hasSize(3);
        assertThat(exact.next()).isNull();
        assertThat(first.next()).isEqualTo(file("three").key());
        assertThat(rest.entries()).extracting(entry -> entry.uri().fileName()).containsExactly("two");
        assertThat(rest.next()).isNull();
        assertThat(store().list(BlobPaths.namespaceFiles(TENANT, namespace, "nothing-here"), null, 10))
                .isEqualTo(new BlobPage(List.of(), null));
    }

    @Test
    public void listByAPartialNameAndByAFolder() throws IOException {
        for (String name : List.of("reports/2024.csv", "reports/2025.csv", "report.txt", "readme.md", "scripts/run.py")) {
            put(file(name), new byte[1]);
        }

        BlobPrefix startsWithRep = new BlobPrefix(BlobPaths.namespaceFiles(TENANT, namespace, "").value() + "rep");
        assertThat(store().list(startsWithRep, null, 10).entries()).extracting(entry -> entry.uri().key())
                .containsExactly(file("report.txt").key(), file("reports/2024.csv").key(), file("reports/2025.csv").key());
        assertThat(store().list(BlobPaths.namespaceFiles(TENANT, namespace, "reports"), null, 10).entries())
                .extracting(entry -> entry.uri().fileName()).containsExactly("2024.csv", "2025.csv");
    }

    @Test
    public void deleteRemovesOneBlob() throws IOException {
        BlobUri uri = file("doomed.txt");
        BlobUri sibling = file("kept.txt");
        put(uri, new byte[10]);
        put(sibling, new byte[10]);

        assertThat(store().delete(uri)).isTrue();

        assertThat(store().get(uri)).isEmpty();
        assertThat(store().exists(uri)).isFalse();
        assertThat(store().delete(uri)).isFalse();
        assertThat(store().exists(sibling)).isTrue();
    }

    @Test
    public void deleteByPrefixRemovesOnlyThatPrefix() throws IOException {
        BlobUri input = BlobPaths.executionInput(TENANT, namespace, "etl", "exec-1", "csv", "data.csv");
        BlobUri output = BlobPaths.taskOutput(TENANT, namespace, "etl", "exec-1", "load", "run-1", "out.ion");
        BlobUri otherExecution = BlobPaths.executionInput(TENANT, namespace, "etl", "exec-10", "csv", "data.csv");
        BlobUri otherFlow = BlobPaths.executionInput(TENANT, namespace, "etl2", "exec-1", "csv", "data.csv");
        for (BlobUri uri : List.of(input, output, otherExecution, otherFlow)) {
            put(uri, new byte[3]);
        }

        long deleted = store().deleteByPrefix(BlobPaths.execution(TENANT, namespace, "etl", "exec-1"));

        assertThat(deleted).isEqualTo(2);
        assertThat(store().exists(input)).isFalse();
        assertThat(store().exists(output)).isFalse();
        assertThat(store().exists(otherExecution)).isTrue();
        assertThat(store().exists(otherFlow)).isTrue();
        assertThat(store().deleteByPrefix(BlobPaths.execution(TENANT, namespace, "etl", "exec-1"))).isZero();
    }

    /** More than S3's 1000 keys per listing and per DeleteObjects request. */
    @Test
    public void deleteByPrefixRemovesManyBlobs() throws IOException {
        for (int i = 0; i < 1005; i++) {
            put(file("bulk/" + i), new byte[1]);
        }

        assertThat(store().deleteByPrefix(BlobPaths.namespaceFiles(TENANT, namespace, "bulk"))).isEqualTo(1005);
        assertThat(store().list(BlobPaths.namespaceFiles(TENANT, namespace, ""), null, 10).entries()).isEmpty();
    }

    @Test
    public void putReplacesABlob() throws IOException {
        BlobUri uri = file("config.yml");
        put(uri, "version: 1".getBytes(StandardCharsets.UTF_8));
        byte[] second = "version: 2, longer".getBytes(StandardCharsets.UTF_8);

        BlobInfo info = put(uri, second);

        assertThat(info).isEqualTo(new BlobInfo(uri, second.length, GeneratedStream.sha256Hex(second)));
        assertThat(read(uri)).isEqualTo(second);
        assertThat(store().stat(uri)).contains(statOf(info));
        assertThat(store().list(BlobPaths.namespaceFiles(TENANT, namespace, ""), null, 10).entries()).hasSize(1);
    }

    @Test
    public void storesAnEmptyBlob() throws IOException {
        BlobUri uri = file("empty");

        BlobInfo info = put(uri, new byte[0]);

        assertThat(info).isEqualTo(new BlobInfo(uri, 0, GeneratedStream.sha256Hex(new byte[0])));
        assertThat(read(uri)).isEmpty();
        assertThat(range(uri, 0, 10)).isEmpty();
        assertThat(store().stat(uri)).contains(statOf(info));
        assertThat(store().list(BlobPaths.namespaceFiles(TENANT, namespace, ""), null, 10).entries())
                .singleElement().satisfies(entry -> assertThat(entry.size()).isZero());
    }

    @Test
    public void keepsNamesWithSpacesAndUnicode() throws IOException {
        String name = "Rapport final (v2) – été 日本 +50%.csv";
        BlobUri uri = BlobPaths.namespaceFile(TENANT, namespace, "dossier partagé/" + name);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);

        put(uri, bytes);

        assertThat(uri.toString()).doesNotContain(" ").startsWith("osprey:///main/" + namespace + "/_files/dossier%20partag%C3%A9/");
        assertThat(read(BlobUri.parse(uri.toString()))).isEqualTo(bytes);
        assertThat(store().list(BlobPaths.namespaceFiles(TENANT, namespace, "dossier partagé"), null, 10).entries())
                .singleElement().satisfies(entry -> {
                    assertThat(entry.uri()).isEqualTo(uri);
                    assertThat(entry.uri().fileName()).isEqualTo(name);
                });
    }

    @Test
    public void refusesKeysThatWouldLeaveTheirNamespace() {
        for (String path : List.of("../other/secret", "a/../../other", "/etc/passwd", "a//b", "./a", "a\\..\\b", "a\u0000b")) {
            assertThatThrownBy(() -> file(path)).as(path).isInstanceOf(InvalidBlobKeyException.class);
        }
        for (String uri : List.of("osprey:///main/ns/../other/x", "osprey:///main/ns/%2E%2E/x", "osprey:///main/ns/a%2F..%2F..%2Fx",
                "osprey://host/main/ns/x", "osprey:///main/ns", "file:///main/ns/x")) {
            assertThatThrownBy(() -> BlobUri.parse(uri)).as(uri).isInstanceOf(InvalidBlobKeyException.class);
        }
        assertThat(store().list(BlobPrefix.of(TENANT, namespace), null, 10).entries()).isEmpty();
    }

    @Test
    public void aPutWhoseContentBreaksLeavesNothingBehind() throws IOException {
        BlobUri fresh = file("broken.bin");
        BlobUri existing = file("kept.bin");
        byte[] old = "previous version".getBytes(StandardCharsets.UTF_8);
        put(existing, old);

        for (BlobUri uri : List.of(fresh, existing)) {
            // within the first part, and after it
            for (long failAt : new long[] {MIB, 7 * MIB}) {
                assertThatThrownBy(() -> store().put(uri, GeneratedStream.failingAt(20 * MIB, 3, failAt)))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("broken on purpose");
            }
        }

        assertThat(store().exists(fresh)).isFalse();
        assertThat(read(existing)).isEqualTo(old);
        assertThat(store().list(BlobPaths.namespaceFiles(TENANT, namespace, ""), null, 10).entries())
                .extracting(BlobEntry::uri).containsExactly(existing);
    }

    /**
     * 300 MB through a heap capped below 300 MB (surefire's argLine for this module): a store that held
     * the blob, or any large part of it, would fail with OutOfMemoryError.
     */
    @Test
    public void streamsABlobLargerThanTheHeap() throws IOException {
        long size = 300 * 1000 * 1000L;
        assertThat(Runtime.getRuntime().maxMemory()).as("test heap must be smaller than the blob").isLessThan(size);
        GeneratedStream content = GeneratedStream.of(size, 300);
        BlobUri uri = file("huge.bin");

        BlobInfo info = store().put(uri, content);

        assertThat(info.size()).isEqualTo(size);
        assertThat(info.sha256()).isEqualTo(content.sha256Hex());
        assertThat(GeneratedStream.digest(store().get(uri).orElseThrow()).sha256()).isEqualTo(info.sha256());
        assertThat(store().delete(uri)).isTrue();
    }

    private byte[] range(BlobUri uri, long offset, long length) throws IOException {
        try (InputStream in = store().get(uri, offset, length).orElseThrow()) {
            return in.readAllBytes();
        }
    }

    private static byte[] slice(byte[] bytes, int offset, int length) {
        byte[] slice = new byte[length];
        System.arraycopy(bytes, offset, slice, 0, length);
        return slice;
    }
}
