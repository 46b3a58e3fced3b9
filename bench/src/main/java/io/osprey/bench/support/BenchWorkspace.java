package io.osprey.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one scenario run sets up and must tear down whatever happens: a work directory for child-process
 * logs, and every resource (database, servers, clients) closed in reverse order of creation. The
 * directory is deleted unless the run asked to keep it or failed, so its logs can be read.
 */
public final class BenchWorkspace {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Path dir;
    private volatile boolean keep;

    private BenchWorkspace(Path dir, boolean keep) {
        this.dir = dir;
        this.keep = keep;
    }

    public static BenchWorkspace create(String prefix, boolean keep) throws IOException {
        return new BenchWorkspace(Files.createTempDirectory(prefix), keep);
    }

    public Path dir() {
        return dir;
    }

    /** Closes the resource when the workspace closes, before anything tracked earlier. */
    public synchronized <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Keeps the directory (and its logs) after the run. */
    public void keep() {
        keep = true;
        Log.info("logs kept in %s", dir);
    }

    public synchronized void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                Log.info("cleanup: %s", e);
            }
        }
        resources.clear();
        if (!keep && Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException ignored) {
                        // best effort: a temporary directory
                    }
                });
            } catch (IOException ignored) {
                // best effort: a temporary directory
            }
        }
    }
}
