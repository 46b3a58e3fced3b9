package io.osprey.command.namespace;

import io.osprey.command.dispatch.VersionedCommand;
import io.osprey.events.namespace.NamespacePath;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * The commands a namespace's file tree handles. Each carries its namespace (the first one creates the
 * aggregate) and the instant the server received it. None takes If-Match: the version counts the changes of
 * the whole namespace, which says nothing useful about one file.
 */
public final class NamespaceFileCommands {

    private NamespaceFileCommands() {
    }

    public interface NamespaceFilesCommand extends VersionedCommand {

        NamespaceFilesKey files();

        @Override
        @TargetAggregateIdentifier
        default String aggregateId() {
            return files().aggregateId();
        }

        @Override
        default Long expectedVersion() {
            return null;
        }
    }

    /** The bytes are already stored at {@code uri}; the command records them as the path's next revision. */
    public record WriteNamespaceFile(NamespaceFilesKey files, NamespacePath path, String uri, long size, String sha256,
                                     Instant at) implements NamespaceFilesCommand {
    }

    public record CreateNamespaceDirectory(NamespaceFilesKey files, NamespacePath path, Instant at)
            implements NamespaceFilesCommand {
    }

    public record MoveNamespaceFile(NamespaceFilesKey files, NamespacePath from, NamespacePath to, Instant at)
            implements NamespaceFilesCommand {
    }

    public record DeleteNamespaceFile(NamespaceFilesKey files, NamespacePath path, Instant at)
            implements NamespaceFilesCommand {
    }
}
