package io.osprey.query.namespace;

import io.osprey.events.namespace.NamespaceDirectoryCreated;
import io.osprey.events.namespace.NamespaceFileDeleted;
import io.osprey.events.namespace.NamespaceFileMoved;
import io.osprey.events.namespace.NamespaceFileWritten;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * Projects the events of namespace file trees into the directory tree read model, in the transaction that
 * also stores the processor's token. An event whose sequence number its namespace has reached already is
 * skipped, so a redelivery changes nothing; a token reset empties the tables first, so replaying rebuilds them.
 */
@Component
@ProcessingGroup(NamespaceFileProjection.PROCESSOR)
public class NamespaceFileProjection {

    public static final String PROCESSOR = "namespace-files";

    private final NamespaceFileTables tables;

    NamespaceFileProjection(NamespaceFileTables tables) {
        this.tables = tables;
    }

    @EventHandler
    void on(NamespaceDirectoryCreated event, @SequenceNumber long sequence) {
        if (tables.advance(event, sequence)) {
            tables.createDirectory(event);
        }
    }

    @EventHandler
    void on(NamespaceFileWritten event, @SequenceNumber long sequence) {
        if (tables.advance(event, sequence)) {
            tables.writeFile(event);
        }
    }

    @EventHandler
    void on(NamespaceFileMoved event, @SequenceNumber long sequence) {
        if (tables.advance(event, sequence)) {
            tables.move(event);
        }
    }

    @EventHandler
    void on(NamespaceFileDeleted event, @SequenceNumber long sequence) {
        if (tables.advance(event, sequence)) {
            tables.delete(event);
        }
    }

    /** Runs in the reset's transaction, before the tokens move back: the replay starts from empty tables. */
    @ResetHandler
    void onReset() {
        tables.deleteAll();
    }
}
