package io.osprey.command.log;

import io.osprey.events.store.EventStorePositions;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.function.Supplier;

/**
 * Events that belong to no aggregate (log batches, log deletions), published straight to the event store inside
 * a transaction of the DataSource: the event store's JDBC connection joins it, so whatever else the transaction
 * writes commits or rolls back together with the events.
 */
@Component
class LogEvents {

    private final EventStore eventStore;
    private final EventStorePositions positions;
    private final TransactionTemplate transactions;

    LogEvents(EventStore eventStore, EventStorePositions positions, PlatformTransactionManager transactionManager) {
        this.eventStore = eventStore;
        this.positions = positions;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Runs {@code work} in one transaction; returns after commit. */
    <T> T inTransaction(Supplier<T> work) {
        return transactions.execute(status -> work.get());
    }

    /** Appends the events, in the current transaction; returns the global index of the last one. */
    long publish(List<? extends EventMessage<?>> events) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("log events are published inside a transaction");
        }
        eventStore.publish(events);
        String last = events.get(events.size() - 1).getIdentifier();
        long position = positions.positionOfEvent(last);
        if (position < 0) {
            throw new IllegalStateException("the event store does not show the event " + last + " just appended");
        }
        return position;
    }
}
