package io.osprey.standalone;

import io.osprey.blob.BlobStoreProperties;
import io.osprey.command.CommandSideApplication;
import io.osprey.query.QuerySideApplication;
import io.osprey.testsupport.TcpProxy;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Command side and query side as two separate applications (own contexts, own ports), as in production:
 * one fresh PostgreSQL database and one blob store (a shared local directory, or given settings) are all they
 * have in common.
 */
final class SeparateSides implements AutoCloseable {

    private final TestDatabase database = TestPostgres.createDatabase();
    private final List<String> blobStore;
    private final Path logIndex;
    private final ConfigurableApplicationContext commandSide;
    private ConfigurableApplicationContext querySide;

    SeparateSides(Path blobRoot) {
        this(blobRoot.resolveSibling(blobRoot.getFileName() + "-logs-index"), List.of("--osprey.blob.local.root=" + blobRoot));
    }

    /** With the blob store the arguments configure ({@code --osprey.blob...}); the log index lives in {@code logIndex}. */
    SeparateSides(Path logIndex, List<String> blobStore) {
        this.blobStore = blobStore;
        this.logIndex = logIndex;
        this.commandSide = CommandSideApplication.builder().run(args());
        this.querySide = QuerySideApplication.builder().run(args());
    }

    String commandUrl() {
        return baseUrl(commandSide);
    }

    String queryUrl() {
        return baseUrl(querySide);
    }

    void stopQuerySide() {
        querySide.close();
    }

    /** A new query-side application on the same database: it catches up from its stored tokens. */
    void startQuerySide() {
        querySide = QuerySideApplication.builder().run(args());
    }

    private String[] args() {
        return Stream.of(Stream.of("--server.port=0", "--osprey.logs.index.dir=" + logIndex), blobStore.stream(),
                Stream.of(database.springArgs())).flatMap(args -> args).toArray(String[]::new);
    }

    private static String baseUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        Stream.of(querySide, commandSide).filter(ConfigurableApplicationContext::isActive)
                .forEach(ConfigurableApplicationContext::close);
        database.close();
    }

    /** The arguments that put both sides on this S3 store, reached at {@code endpoint} (the store's, or a proxy's). */
    static List<String> s3Store(BlobStoreProperties.S3 store, String endpoint, String... more) {
        return Stream.concat(Stream.of("--osprey.blob.type=s3", "--osprey.blob.s3.endpoint=" + endpoint,
                "--osprey.blob.s3.bucket=" + store.bucket(), "--osprey.blob.s3.access-key=" + store.accessKey(),
                "--osprey.blob.s3.secret-key=" + store.secretKey()), Stream.of(more)).toList();
    }

    /** A link to the store that a test can cut: the sides reach the store through it. */
    static TcpProxy linkTo(BlobStoreProperties.S3 store) throws IOException {
        URI endpoint = URI.create(store.endpoint());
        return new TcpProxy(endpoint.getHost(), endpoint.getPort());
    }

    /** Closes each of {@code opened} that was opened (not null), in order: the sides before what they use. */
    static void closeAll(AutoCloseable... opened) throws Exception {
        for (AutoCloseable resource : opened) {
            if (resource != null) {
                resource.close();
            }
        }
    }
}
