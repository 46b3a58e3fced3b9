package io.osprey.command.dispatch;

import io.osprey.events.store.EventStorePositions;
import io.osprey.events.validation.InvalidInputException;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Our seam over Axon's command gateway. Sends a command, waits for its commit and answers with the
 * new version and the global position reached. When another node appended to the same aggregate
 * first (the event store's unique key refuses our append), an unguarded command is retried on the
 * fresh state, so racing clients never lose an update (a 503 {@link ContendedException} when it loses every time);
 * a guarded one (If-Match) reports the conflict. A command the
 * aggregate's rules refuse is judged once more on the event store's state before the refusal is answered: the
 * first judgement may have used this node's cached state, which another node had moved past.
 *
 * <p>The position, and whatever else a caller needs to answer, is read in the command's own transaction once its
 * events are appended: a read after the commit that failed (the database going away just then) made a committed
 * command a 503 that said nothing was written. A failure once the events are appended, in the commit itself, leaves
 * the outcome unknown to us: the database is asked whether that transaction committed ({@link CommitCheck}) before
 * the command is answered.
 */
@Component
public class CommandDispatcher {

    private static final int MAX_UNGUARDED_ATTEMPTS = 10;
    private static final String SLOT = "osprey.commitSlot";

    private final CommandGateway gateway;
    private final EventStorePositions positions;
    private final CommitCheck commitCheck;
    private final CachedCopies cachedCopies;

    public CommandDispatcher(CommandGateway gateway, CommandBus commandBus, EventStorePositions positions,
                             CommitCheck commitCheck, CachedCopies cachedCopies) {
        this.gateway = gateway;
        this.positions = positions;
        this.commitCheck = commitCheck;
        this.cachedCopies = cachedCopies;
        commandBus.registerHandlerInterceptor(new ReadInTransaction());
    }

    /** A committed command: its receipt and what was read in its transaction. */
    public record Committed<T>(CommandReceipt receipt, T read) {
    }

    /**
     * Refuses to create an aggregate the event store already holds (a client retrying a create with its own id),
     * before anything is stored. Left to the store's unique key, the append would fail after taking a global index,
     * and that gap holds every log follow back for the gap timeout; two creates racing still meet the key.
     */
    public void requireNew(String aggregateId) {
        if (positions.positionOf(aggregateId, 0) >= 0) {
            throw new AggregateStreamCreationException("an aggregate with id " + aggregateId + " already exists");
        }
    }

    /** Creates an aggregate: its first event has version 0. */
    public CommandReceipt create(VersionedCommand command, RequestMetadata metadata) {
        return written(send(command, metadata, receipt -> null)).receipt();
    }

    /** Changes an existing aggregate; its command handler returns the new version. */
    public CommandReceipt update(VersionedCommand command, RequestMetadata metadata) {
        return update(command, metadata, receipt -> null).receipt();
    }

    /** Changes an existing aggregate, and reads what the caller answers with in the command's transaction. */
    public <T> Committed<T> update(VersionedCommand command, RequestMetadata metadata,
                                   Function<CommandReceipt, T> readInTransaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                cachedCopies.dropIfStale(command.aggregateId());
                return written(send(command, metadata, readInTransaction));
            } catch (ConcurrencyException | StaleVersionException conflict) {
                if (conflict instanceof ConcurrencyException) {
                    cachedCopies.lostARace();
                }
                retryAfterLosingARace(command, conflict, attempt);
            } catch (RuntimeException refused) {
                // judged on a state this node's cache may have held past another node's write (a RUNNING execution
                // seen as CREATED refused SUCCESS with a 409): its rollback evicted it, so ask once more on the store's
                if (attempt > 1 || !refusedByTheAggregate(refused)) {
                    throw refused;
                }
            }
        }
    }

    private <T> Committed<T> written(Committed<T> committed) {
        cachedCopies.written(committed.receipt().aggregateId(), committed.receipt().version());
        return committed;
    }

    /** A rule of the aggregate; an InvalidInputException from inside a handler is one (requests are checked before). */
    private static boolean refusedByTheAggregate(RuntimeException e) {
        return e instanceof AggregateRefusal || e instanceof InvalidInputException;
    }

    private <T> Committed<T> send(VersionedCommand command, RequestMetadata metadata, Function<CommandReceipt, T> read) {
        Slot<T> slot = new Slot<>(command.aggregateId(), read);
        try {
            gateway.sendAndWait(new GenericCommandMessage<>(command, metadata.toMetaData().and(SLOT, slot)));
        } catch (RuntimeException failure) {
            if (slot.receipt == null) {
                throw failure; // before its events were appended: nothing was written
            }
            if (!commitCheck.committed(slot.appended, "the command on " + slot.aggregateId, failure)) {
                throw failure;
            }
        }
        return new Committed<>(slot.receipt, slot.read);
    }

    /**
     * An unguarded command is retried on a fresh load after losing a race, after a random pause that grows with each
     * loss, so that nodes racing for one aggregate stop meeting at the same instant. A guarded one gets one more try
     * only, because its first failure may come from a cached state another node had moved past.
     */
    private static void retryAfterLosingARace(VersionedCommand command, RuntimeException conflict, int attempt) {
        if (command.expectedVersion() != null || !(conflict instanceof ConcurrencyException)) {
            if (attempt > 1) {
                throw conflict;
            }
            return;
        }
        if (attempt >= MAX_UNGUARDED_ATTEMPTS) {
            throw new ContendedException(command.aggregateId(), attempt, conflict);
        }
        long pauseMillis = ThreadLocalRandom.current().nextLong(1L << Math.min(attempt, 6));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
    }

    /** Filled in the command's transaction, once its events are appended; read by the sender after. */
    private static final class Slot<T> {
        private final String aggregateId;
        private final Function<CommandReceipt, T> reader;
        private volatile CommitCheck.Appended appended;
        private volatile CommandReceipt receipt;
        private volatile T read;

        Slot(String aggregateId, Function<CommandReceipt, T> reader) {
            this.aggregateId = aggregateId;
            this.reader = reader;
        }
    }

    /**
     * After the handler, registers the reads for the prepare-commit phase, which runs its handlers in the order they
     * were registered: after the event store's, which the handler's first event registered, so after the append and
     * before the transaction commits.
     */
    private final class ReadInTransaction implements MessageHandlerInterceptor<CommandMessage<?>> {

        @Override
        public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
            Object result = chain.proceed();
            if (unitOfWork.getMessage().getMetaData().get(SLOT) instanceof Slot<?> slot) {
                // a creation answers with the aggregate's identifier: its first event is version 0
                long version = result instanceof Long newVersion ? newVersion : 0L;
                unitOfWork.onPrepareCommit(u -> fill(slot, version));
            }
            return result;
        }

        private <T> void fill(Slot<T> slot, long version) {
            CommitCheck.Appended appended = commitCheck.appended(slot.aggregateId, version);
            CommandReceipt receipt = new CommandReceipt(slot.aggregateId, version, appended.position());
            slot.read = slot.reader.apply(receipt);
            slot.appended = appended;
            slot.receipt = receipt;
        }
    }
}
