package io.osprey.blob.s3;

import io.osprey.blob.BlobStoreProperties;

import java.io.IOException;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real S3-protocol server for the tests: S3Proxy on loopback, storing on the local filesystem, run as
 * its own process (its shaded dependencies would clash with ours on one classpath). Maven copies the
 * jar to {@code target/s3proxy/s3proxy.jar} before the tests run. It can be stopped and started again on
 * the same port and data, to play an outage.
 */
final class S3ProxyServer implements S3TestServer {

    static final String IDENTITY = "osprey-test";
    static final String CREDENTIAL = "osprey-test-secret";

    private final Path jar;
    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    private S3ProxyServer(Path dir, int port) throws IOException {
        this.jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; run the tests through Maven, which copies it there");
        }
        this.port = port;
        this.config = dir.resolve("s3proxy.properties");
        this.log = dir.resolve("s3proxy.log");
        Path data = Files.createDirectories(dir.resolve("data"));
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", endpoint());
        properties.setProperty("s3proxy.authorization", "aws-v4");
        properties.setProperty("s3proxy.identity", IDENTITY);
        properties.setProperty("s3proxy.credential", CREDENTIAL);
        properties.setProperty("jclouds.provider", "filesystem");
        properties.setProperty("jclouds.identity", IDENTITY);
        properties.setProperty("jclouds.credential", CREDENTIAL);
        properties.setProperty("jclouds.filesystem.basedir", data.toString());
        try (Writer writer = Files.newBufferedWriter(config)) {
            properties.store(writer, "written by " + S3ProxyServer.class.getName());
        }
    }

    /** Starts a server on a free loopback port, keeping its files in {@code dir}. */
    static S3ProxyServer start(Path dir) throws IOException {
        S3ProxyServer server = notStarted(dir);
        server.start();
        return server;
    }

    /** A server on a free loopback port that nothing listens on until {@link #start()}: a store away from the start. */
    static S3ProxyServer notStarted(Path dir) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return new S3ProxyServer(dir, port);
    }

    /** (Re)starts the process on the same port and data; returns once it answers HTTP. */
    void start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "--properties", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        await("S3Proxy answering on " + endpoint())
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(this::answers);
    }

    private boolean answers() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
        }
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(1000);
            connection.getResponseCode(); // any answer, even 403 for an unsigned request, means it serves
            connection.disconnect();
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Suspends the process (SIGSTOP), as a server that stopped answering: connections stay open, nothing answers. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Lets a paused process run again (SIGCONT). */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public BlobStoreProperties.S3 settings(String bucket, long partSize, BlobStoreProperties.DirectDownloads directDownloads) {
        return new BlobStoreProperties.S3(endpoint(), "us-east-1", bucket, IDENTITY, CREDENTIAL, true, partSize, null, null, true,
                Duration.ofSeconds(5), null, directDownloads);
    }

    @Override
    public void close() {
        stop();
    }
}
