package io.osprey.command.namespace;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.osprey.command.dispatch.AggregateLockConfiguration;
import io.osprey.events.EventClock;
import io.osprey.command.namespace.NamespaceFileCommands.CreateNamespaceDirectory;
import io.osprey.command.namespace.NamespaceFileCommands.DeleteNamespaceFile;
import io.osprey.command.namespace.NamespaceFileCommands.MoveNamespaceFile;
import io.osprey.command.namespace.NamespaceFileCommands.WriteNamespaceFile;
import io.osprey.events.namespace.NamespaceDirectoryCreated;
import io.osprey.events.namespace.NamespaceFileDeleted;
import io.osprey.events.namespace.NamespaceFileEvent;
import io.osprey.events.namespace.NamespaceFileMoved;
import io.osprey.events.namespace.NamespaceFileWritten;
import io.osprey.events.namespace.NamespacePath;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import io.osprey.events.EventClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The file tree of one namespace: which paths are files (at which revision) and which are directories.
 * The root always exists and is not stored. The first command on a namespace creates the aggregate.
 * Writing or moving below a missing directory creates it first, one event per directory, as Kestra does.
 * A file keeps its revisions when it moves; a deleted path starts again at revision 1.
 * Command handlers return the aggregate version after the change. Snapshots serialize its fields.
 */
@Aggregate(cache = "namespaceFilesCache", snapshotTriggerDefinition = "namespaceFilesSnapshotTrigger",
        lockFactory = AggregateLockConfiguration.BEAN)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class NamespaceFilesAggregate {

    @AggregateIdentifier
    private String aggregateId;
    /** Every file and directory but the root, by normalised path; sorted, so that what lies below a path is one range. */
    private final TreeMap<String, Entry> tree = new TreeMap<>();
    /** When the last event happened (null in a snapshot taken before it was kept). */
    private Instant lastAt;

    /** A directory, or a file at its current revision. */
    private record Entry(boolean directory, int revision) {
    }

    protected NamespaceFilesAggregate() {
        // for Axon: created empty by the first command, or rebuilt from events
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public long handle(WriteNamespaceFile command) {
        NamespacePath path = command.path();
        Entry current = tree.get(path.value());
        if (current != null && current.directory()) {
            throw new PathConflictException("path", "is-directory", path + " is a directory");
        }
        createMissingDirectories(command.files(), "path", path.ancestors(), at(command.at()));
        apply(new NamespaceFileWritten(command.files().tenant(), command.files().namespace(), path.value(),
                current == null ? 1 : current.revision() + 1, command.size(), command.sha256(), command.uri(), at(command.at())));
        return version();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public long handle(CreateNamespaceDirectory command) {
        requireAbsent("path", command.path());
        List<NamespacePath> directories = new ArrayList<>(command.path().ancestors());
        directories.add(command.path());
        createMissingDirectories(command.files(), "path", directories, at(command.at()));
        return version();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public long handle(MoveNamespaceFile command) {
        NamespacePath from = command.from();
        NamespacePath to = command.to();
        Entry moving = tree.get(from.value());
        if (moving == null) {
            throw new PathNotFoundException("from", from + " does not exist");
        }
        if (!to.equals(from) && to.isWithin(from)) {
            throw new PathConflictException("to", "into-itself", "cannot move " + from + " into itself (" + to + ")");
        }
        requireAbsent("to", to);
        // every path of the moved subtree must still fit the length limit at its new place
        subtree(from).keySet().forEach(path -> NamespacePath.parse("to", NamespacePath.normalised(path).moved(from, to).value()));
        createMissingDirectories(command.files(), "to", to.ancestors(), at(command.at()));
        apply(new NamespaceFileMoved(command.files().tenant(), command.files().namespace(), from.value(), to.value(),
                moving.directory(), at(command.at())));
        return version();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public long handle(DeleteNamespaceFile command) {
        Entry deleting = tree.get(command.path().value());
        if (deleting == null) {
            throw new PathNotFoundException("path", command.path() + " does not exist");
        }
        apply(new NamespaceFileDeleted(command.files().tenant(), command.files().namespace(), command.path().value(),
                deleting.directory(), at(command.at())));
        return version();
    }

    @EventSourcingHandler
    void on(NamespaceDirectoryCreated event) {
        identify(event);
        tree.put(event.path(), new Entry(true, 0));
    }

    @EventSourcingHandler
    void on(NamespaceFileWritten event) {
        identify(event);
        tree.put(event.path(), new Entry(false, event.revision()));
    }

    @EventSourcingHandler
    void on(NamespaceFileMoved event) {
        identify(event);
        NamespacePath from = NamespacePath.normalised(event.from());
        NamespacePath to = NamespacePath.normalised(event.to());
        Map<String, Entry> moving = subtree(from);
        moving.keySet().forEach(tree::remove);
        moving.forEach((path, entry) -> tree.put(NamespacePath.normalised(path).moved(from, to).value(), entry));
    }

    @EventSourcingHandler
    void on(NamespaceFileDeleted event) {
        identify(event);
        subtree(NamespacePath.normalised(event.path())).keySet().forEach(tree::remove);
    }

    /** Refuses a path that exists already (the root always does). */
    private void requireAbsent(String field, NamespacePath path) {
        if (path.isRoot() || tree.containsKey(path.value())) {
            throw new PathConflictException(field, "exists", path + " already exists");
        }
    }

    /** Creates the directories of the list that are missing, top down; refuses when one of them is a file. */
    private void createMissingDirectories(NamespaceFilesKey files, String field, List<NamespacePath> directories, Instant at) {
        List<NamespacePath> missing = new ArrayList<>();
        for (NamespacePath directory : directories) {
            Entry entry = tree.get(directory.value());
            if (entry == null) {
                missing.add(directory);
            } else if (!entry.directory()) {
                throw new PathConflictException(field, "parent-is-file", directory + " is a file, not a directory");
            }
        }
        missing.forEach(directory -> apply(new NamespaceDirectoryCreated(files.tenant(), files.namespace(), directory.value(), at)));
    }

    /** The path and everything below it, copied out of the tree. */
    private Map<String, Entry> subtree(NamespacePath path) {
        Map<String, Entry> subtree = new TreeMap<>(tree.subMap(path.descendantsFrom(), path.descendantsUntil()));
        Entry entry = tree.get(path.value());
        if (entry != null) {
            subtree.put(path.value(), entry);
        }
        return subtree;
    }

    private void identify(NamespaceFileEvent event) {
        aggregateId = new NamespaceFilesKey(event.tenant(), event.namespace()).aggregateId();
        lastAt = event.at();
    }

    /** Revision dates follow the order of the revisions, however the commands raced for the tree. */
    private Instant at(Instant taken) {
        return EventClock.notBefore(taken, lastAt);
    }

    private static long version() {
        return AggregateLifecycle.getVersion();
    }
}
