package io.osprey.command.namespace;

import io.osprey.blob.BlobInfo;
import io.osprey.blob.BlobPaths;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.command.dispatch.CommandDispatcher;
import io.osprey.command.dispatch.CommandReceipt;
import io.osprey.command.dispatch.CommitOutcomeUnknownException;
import io.osprey.command.dispatch.RequestMetadata;
import io.osprey.command.namespace.NamespaceFileCommands.CreateNamespaceDirectory;
import io.osprey.command.namespace.NamespaceFileCommands.DeleteNamespaceFile;
import io.osprey.command.namespace.NamespaceFileCommands.MoveNamespaceFile;
import io.osprey.command.namespace.NamespaceFileCommands.NamespaceFilesCommand;
import io.osprey.command.namespace.NamespaceFileCommands.WriteNamespaceFile;
import io.osprey.events.EventClock;
import io.osprey.events.namespace.NamespaceFileWritten;
import io.osprey.events.namespace.NamespacePath;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;

/**
 * The changes of a namespace's file tree, each one command replied to after commit. A file's bytes go to
 * the blob store before the command that records them, so that no event ever points at a missing blob;
 * when the command is refused, the blob is removed again.
 */
@Component
public class NamespaceFileWrites {

    private static final Logger log = LoggerFactory.getLogger(NamespaceFileWrites.class);

    private final CommandDispatcher dispatcher;
    private final BlobStore blobs;
    private final EventStore eventStore;
    private final Clock clock = EventClock.utc();

    public NamespaceFileWrites(CommandDispatcher dispatcher, BlobStore blobs, EventStore eventStore) {
        this.dispatcher = dispatcher;
        this.blobs = blobs;
        this.eventStore = eventStore;
    }

    /** A stored revision: its blob, its number and where the command left the event store. */
    public record Written(BlobInfo blob, int revision, CommandReceipt receipt) {
    }

    public Written write(NamespaceFilesKey files, NamespacePath path, InputStream content, RequestMetadata metadata)
            throws IOException {
        // A fresh key per upload: no revision's bytes are ever replaced, and the key does not grow with the path,
        // whose limits (255-byte segments, 1024 bytes) a percent-encoded blob key could not hold.
        BlobInfo blob = blobs.put(BlobPaths.namespaceFile(files.tenant(), files.namespace(), UUID.randomUUID().toString()),
                content);
        CommandDispatcher.Committed<Integer> committed;
        try {
            committed = send(new WriteNamespaceFile(files, path, blob.uri().toString(), blob.size(), blob.sha256(),
                    clock.instant()), metadata, this::revisionWritten);
        } catch (CommitOutcomeUnknownException maybeWritten) {
            throw maybeWritten; // its blob stays: the sweep removes it if no event came to point at it
        } catch (RuntimeException notWritten) {
            discard(blob); // refused, or failed before its commit: the database away, the node busy
            throw notWritten;
        }
        return new Written(blob, committed.read(), committed.receipt());
    }

    public CommandReceipt createDirectory(NamespaceFilesKey files, NamespacePath path, RequestMetadata metadata) {
        return send(new CreateNamespaceDirectory(files, path, clock.instant()), metadata, receipt -> null).receipt();
    }

    public CommandReceipt move(NamespaceFilesKey files, NamespacePath from, NamespacePath to, RequestMetadata metadata) {
        return send(new MoveNamespaceFile(files, from, to, clock.instant()), metadata, receipt -> null).receipt();
    }

    public CommandReceipt delete(NamespaceFilesKey files, NamespacePath path, RequestMetadata metadata) {
        return send(new DeleteNamespaceFile(files, path, clock.instant()), metadata, receipt -> null).receipt();
    }

    /**
     * Every command may be a namespace's first. When another node appended that first event between our
     * load and our append, the event store refuses ours as a second creation of the stream; it exists now,
     * so the command goes again on the loaded tree (later races are the dispatcher's concurrency retries).
     */
    private <T> CommandDispatcher.Committed<T> send(NamespaceFilesCommand command, RequestMetadata metadata,
                                                    Function<CommandReceipt, T> readInTransaction) {
        try {
            return dispatcher.update(command, metadata, readInTransaction);
        } catch (AggregateStreamCreationException lostTheCreationRace) {
            return dispatcher.update(command, metadata, readInTransaction);
        }
    }

    /**
     * The aggregate numbers revisions; its last event, the one the receipt points at, says which one it gave. Read in
     * the command's transaction, where the event store's connection sees the event just appended.
     */
    private int revisionWritten(CommandReceipt receipt) {
        return eventStore.readEvents(receipt.aggregateId(), receipt.version()).asStream().findFirst()
                .map(event -> ((NamespaceFileWritten) event.getPayload()).revision())
                .orElseThrow(() -> new IllegalStateException(
                        "no event at version " + receipt.version() + " of " + receipt.aggregateId()));
    }

    private void discard(BlobInfo blob) {
        try {
            blobs.delete(blob.uri());
        } catch (BlobStoreUnavailableException e) {
            log.warn("the blob of a refused upload, {}, stays until swept: {}", blob.uri(), e.getMessage());
        }
    }
}
