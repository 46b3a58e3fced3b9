package io.osprey.events.store;

import io.osprey.events.EventClock;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Rolls back a transaction that would commit events later than half the gap timeout after they were dated. Readers
 * of the store (Axon's tracking processors, log follows) give up on a gap in the global index once the event after it
 * is older than the gap timeout: an append that committed later would never be read by them. A gap's event was dated
 * before the next index was taken, and so before the event after it was stored; if each commits within half the timeout
 * of its date, the gap's event is committed before the event after it is a whole timeout old. A statement waits at most
 * the driver's socket timeout, but a transaction of several slow statements (a database short of I/O) could outlast
 * the gap timeout: such a write is refused instead, {@link AppendTooLateException}, and nothing of it is stored.
 */
final class CommitDeadline implements MessageDispatchInterceptor<EventMessage<?>> {

    private final Duration limit;
    private final Clock clock;

    CommitDeadline(Duration gapTimeout, Clock clock) {
        this.limit = gapTimeout.dividedBy(2);
        this.clock = clock;
    }

    static CommitDeadline of(Duration gapTimeout) {
        return new CommitDeadline(gapTimeout, EventClock.utc());
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        // events published outside a Spring transaction commit in the storage engine's own, as they are appended
        if (!messages.isEmpty() && TransactionSynchronizationManager.isSynchronizationActive()) {
            Check check = checkOfThisTransaction();
            messages.forEach(message -> check.dated(message.getTimestamp()));
        }
        return (index, message) -> message;
    }

    /** The check registered with the transaction under way (and suspended with it), registered now if none is. */
    private Check checkOfThisTransaction() {
        for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
            if (registered instanceof Check check && check.owner == this) {
                return check;
            }
        }
        Check check = new Check(this);
        TransactionSynchronizationManager.registerSynchronization(check);
        return check;
    }

    private static final class Check implements TransactionSynchronization {
        private final CommitDeadline owner;
        private Instant earliest;

        Check(CommitDeadline owner) {
            this.owner = owner;
        }

        void dated(Instant timestamp) {
            if (earliest == null || timestamp.isBefore(earliest)) {
                earliest = timestamp;
            }
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            Duration late = Duration.between(earliest, owner.clock.instant());
            if (late.compareTo(owner.limit) > 0) {
                throw new AppendTooLateException(late, owner.limit);
            }
        }
    }
}
