package io.osprey.bench.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Spring Boot application run as a child JVM ({@code java <jvm opts> -jar <jar> --server.port=<port> ...}),
 * with stdout/stderr in a log file, a health wait and an idempotent stop.
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;
    private boolean stopped;

    private ChildProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    public static ChildProcess start(String name, Path jar, List<String> jvmOptions, List<String> appArgs,
                                     Path workDir) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " jar not found: " + jar
                    + " (build it first: mvn -B -q -DskipTests package at the repository root, or use bench/run)");
        }
        int port = freePort();
        Path dir = workDir.resolve(name);
        Files.createDirectories(dir);
        Path log = workDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.add("--server.port=" + port);
        command.addAll(appArgs);
        Log.info("starting %s on port %d: %s (log %s)", name, port, redact(command), log);
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        process.getOutputStream().close();
        return new ChildProcess(name, port, log, process);
    }

    public String name() {
        return name;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path log() {
        return log;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Polls GET /actuator/health until it reports UP; fails early if the process exits. */
    public void awaitHealthy(HttpClient http, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(baseUri().resolve("/actuator/health"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before becoming healthy; last lines of " + log + ":\n" + tail(60));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && response.body().replace(" ", "").contains("\"status\":\"UP\"")) {
                    Log.info("%s is UP after %.1f s", name, (System.nanoTime() - started) / 1e9);
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " not healthy after " + timeout.toSeconds() + " s (last: " + last
                + "); last lines of " + log + ":\n" + tail(60));
    }

    /**
     * Freezes the process (SIGSTOP) so that it takes no CPU, as if it ran on another machine, until
     * {@link #resume()}; its connections stay open.
     */
    public void suspend() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Lets a suspended process run again (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed with " + kill.exitValue());
        }
        Log.info("%s: SIG%s", name, signal);
    }

    /** Last lines of the child's log, for error messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, wait up to 20 s for a graceful shutdown, then kill. Idempotent. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                Log.info("%s did not stop within 20 s, killing it", name);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Log.info("stopped %s", name);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static String javaBinary() {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(java) ? java.toString() : "java";
    }

    private static String redact(List<String> command) {
        List<String> out = new ArrayList<>(command.size());
        for (String part : command) {
            out.add(part.startsWith("--spring.datasource.password=") ? "--spring.datasource.password=***" : part);
        }
        return String.join(" ", out);
    }
}
