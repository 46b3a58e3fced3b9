package io.osprey.command.dispatch;

import io.osprey.events.store.EventStorePositions;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;

/**
 * Our seam over Axon's command gateway. Sends a command, waits for its commit and answers with the
 * new version and the global position reached. When another node appended to the same aggregate
 * first (the event store's unique key refuses our append), an unguarded command is retried on the
 * fresh state, so racing clients never lose an update; a guarded one (If-Match) reports the conflict.
 */
@Component
public class CommandDispatcher {

    private static final int MAX_ATTEMPTS = 5;

    private final CommandGateway gateway;
    private final EventStorePositions positions;

    public CommandDispatcher(CommandGateway gateway, EventStorePositions positions) {
        this.gateway = gateway;
        this.positions = positions;
    }

    /** Creates an aggregate: its first event has version 0. */
    public CommandReceipt create(VersionedCommand command, RequestMetadata metadata) {
        gateway.sendAndWait(new GenericCommandMessage<>(command, metadata.toMetaData()));
        return receipt(command.aggregateId(), 0);
    }

    /** Changes an existing aggregate; its command handler returns the new version. */
    public CommandReceipt update(VersionedCommand command, RequestMetadata metadata) {
        for (int attempt = 1; ; attempt++) {
            try {
                Long version = gateway.sendAndWait(new GenericCommandMessage<>(command, metadata.toMetaData()));
                return receipt(command.aggregateId(), version);
            } catch (ConcurrencyException | StaleVersionException conflict) {
                if (!worthRetrying(command, conflict, attempt)) {
                    throw conflict;
                }
            }
        }
    }

    /**
     * An unguarded command is retried on a fresh load after losing a race. A guarded one gets one
     * more try only, because its first failure may come from a cached state another node had moved past.
     */
    private static boolean worthRetrying(VersionedCommand command, RuntimeException conflict, int attempt) {
        if (command.expectedVersion() == null) {
            return conflict instanceof ConcurrencyException && attempt < MAX_ATTEMPTS;
        }
        return attempt == 1;
    }

    private CommandReceipt receipt(String aggregateId, long version) {
        return new CommandReceipt(aggregateId, version, positions.positionOf(aggregateId, version));
    }
}
