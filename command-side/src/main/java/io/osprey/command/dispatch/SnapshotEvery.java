package io.osprey.command.dispatch;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;

/** {@code osprey.command.snapshot-every}: an aggregate is snapshotted every this many events, one or more. */
public final class SnapshotEvery {

    public static final String KEY = "osprey.command.snapshot-every";

    private SnapshotEvery() {
    }

    public static SnapshotTriggerDefinition trigger(Snapshotter snapshotter, int events) {
        if (events < 1) {
            throw new IllegalArgumentException(KEY + " must be at least 1, got " + events);
        }
        return new EventCountSnapshotTriggerDefinition(snapshotter, events);
    }
}
