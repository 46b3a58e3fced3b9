package io.osprey.bench.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds the Osprey repository root (the directory holding pom.xml, command-side/ and query-side/). */
public final class RepoLocator {

    private RepoLocator() {
    }

    /**
     * @param explicit value of {@code --repo}, or null: then the bench jar's location (java.class.path)
     *                 and the working directory are searched upwards
     */
    public static Path find(String explicit) {
        if (explicit != null) {
            Path p = Paths.get(explicit).toAbsolutePath().normalize();
            if (!isRepo(p)) {
                throw new IllegalArgumentException("--repo " + p + " does not look like the Osprey repository root");
            }
            return p;
        }
        String classPath = System.getProperty("java.class.path", "");
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                Path found = upwards(Paths.get(entry).toAbsolutePath().normalize());
                if (found != null) {
                    return found;
                }
            }
        }
        Path found = upwards(Paths.get("").toAbsolutePath());
        if (found != null) {
            return found;
        }
        throw new IllegalArgumentException(
                "cannot find the Osprey repository root from the bench jar or the working directory; pass --repo <dir>");
    }

    static Path upwards(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (isRepo(p)) {
                return p;
            }
        }
        return null;
    }

    static boolean isRepo(Path p) {
        return Files.isRegularFile(p.resolve("pom.xml"))
                && Files.isDirectory(p.resolve("command-side"))
                && Files.isDirectory(p.resolve("query-side"));
    }
}
