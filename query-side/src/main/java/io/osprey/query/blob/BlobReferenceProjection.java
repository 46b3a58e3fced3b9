package io.osprey.query.blob;

import io.osprey.events.ReferencesBlobs;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Records every blob URI that any event points at, whatever the event (one handler on {@link ReferencesBlobs},
 * so a new event type that implements it is covered without a change here). Rows are never removed by later
 * events: a deleted file's earlier events still point at its blob, for audit and replay, so that blob is not
 * garbage. Inserts are insert-if-absent, so a redelivered event changes nothing; a token reset empties the
 * table first, so replaying rebuilds it.
 */
@Component
@ProcessingGroup(BlobReferenceProjection.PROCESSOR)
public class BlobReferenceProjection {

    public static final String PROCESSOR = "blob-references";

    private final BlobReferences references;

    BlobReferenceProjection(BlobReferences references) {
        this.references = references;
    }

    @EventHandler
    void on(ReferencesBlobs event, @Timestamp Instant at) {
        references.add(event.blobUris(), at);
    }

    /** Runs in the reset's transaction, before the tokens move back: the replay starts from an empty table. */
    @ResetHandler
    void onReset() {
        references.deleteAll();
    }
}
