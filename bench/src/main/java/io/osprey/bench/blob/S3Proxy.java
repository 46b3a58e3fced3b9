package io.osprey.bench.blob;

import io.osprey.bench.support.Log;

import java.io.IOException;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy (filesystem backend, AWS v4 signatures) as a child process on a free loopback port: the S3 server
 * that both Osprey and the raw minio-java baseline talk to. The jar is copied by Maven into
 * {@code bench/target/s3proxy/s3proxy.jar}.
 */
final class S3Proxy implements AutoCloseable {

    static final String IDENTITY = "osprey-bench";
    static final String CREDENTIAL = "osprey-bench-secret";

    private final int port;
    private final Path log;
    private final Process process;

    private S3Proxy(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static S3Proxy start(Path jar, Path dir, List<String> jvmOptions) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar not found: " + jar
                    + " (mvn -B -q -DskipTests package at the repository root copies it there; bench/run does it)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path data = Files.createDirectories(dir.resolve("s3proxy-data"));
        Path config = dir.resolve("s3proxy.properties");
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        properties.setProperty("s3proxy.authorization", "aws-v4");
        properties.setProperty("s3proxy.identity", IDENTITY);
        properties.setProperty("s3proxy.credential", CREDENTIAL);
        properties.setProperty("jclouds.provider", "filesystem");
        properties.setProperty("jclouds.identity", IDENTITY);
        properties.setProperty("jclouds.credential", CREDENTIAL);
        properties.setProperty("jclouds.filesystem.basedir", data.toString());
        try (Writer writer = Files.newBufferedWriter(config)) {
            properties.store(writer, "written by the Osprey bench");
        }
        Path log = dir.resolve("s3proxy.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--properties", config.toString()));
        Log.info("starting S3Proxy on port %d: %s (log %s)", port, String.join(" ", command), log);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        S3Proxy proxy = new S3Proxy(port, log, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!proxy.answers()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                proxy.close();
                throw new IllegalStateException("S3Proxy not answering after 60 s; see " + log);
            }
            Thread.sleep(100);
        }
        return proxy;
    }

    private boolean answers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(1000);
            connection.getResponseCode(); // any answer, even 403 for an unsigned request
            connection.disconnect();
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Log.info("stopped S3Proxy");
    }
}
