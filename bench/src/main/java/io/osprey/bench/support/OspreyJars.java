package io.osprey.bench.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository and the two Osprey jars a scenario starts ({@code --repo}, {@code --command-jar},
 * {@code --query-jar}), checked to exist.
 */
public record OspreyJars(Path repo, Path commandSide, Path querySide) {

    public static OspreyJars locate(Args args) {
        Path repo = RepoLocator.find(args.string("repo", null));
        OspreyJars jars = new OspreyJars(repo,
                Path.of(args.string("command-jar", repo.resolve("command-side/target/command-side-0.1.0-SNAPSHOT-exec.jar").toString())),
                Path.of(args.string("query-jar", repo.resolve("query-side/target/query-side-0.1.0-SNAPSHOT-exec.jar").toString())));
        jars.requireBuilt(jars.commandSide());
        jars.requireBuilt(jars.querySide());
        return jars;
    }

    /** Fails with the build command when a file the build makes is missing. */
    public void requireBuilt(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing " + file
                    + "; build with `mvn -B -q -DskipTests package` at " + repo + " (bench/run does it)");
        }
    }
}
