package io.osprey.command.log;

import io.osprey.command.dispatch.CommitCheck;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Events that belong to no aggregate (log batches, log deletions), published straight to the event store inside
 * a transaction of the DataSource: the event store's JDBC connection joins it, so whatever else the transaction
 * writes commits or rolls back together with the events.
 */
@Component
class LogEvents {

    private final EventStore eventStore;
    private final CommitCheck commitCheck;
    private final TransactionTemplate transactions;

    LogEvents(EventStore eventStore, CommitCheck commitCheck, PlatformTransactionManager transactionManager) {
        this.eventStore = eventStore;
        this.commitCheck = commitCheck;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * In one transaction: runs {@code before}, appends the events, and answers with {@code after} given the last
     * one's global index, read in the transaction; returns after commit. A failure once the events are appended (in
     * the commit itself) leaves the outcome unknown: the database is asked whether the transaction committed
     * ({@link CommitCheck}) before the failure is reported as nothing written.
     */
    <T> T publish(List<? extends EventMessage<?>> events, Runnable before, LongFunction<T> after) {
        String lastIdentifier = events.get(events.size() - 1).getIdentifier();
        List<CommitCheck.Appended> appended = new ArrayList<>(1);
        List<T> answer = new ArrayList<>(1);
        try {
            return transactions.execute(status -> {
                before.run();
                eventStore.publish(events);
                CommitCheck.Appended last = commitCheck.appendedEvent(lastIdentifier);
                answer.add(after.apply(last.position()));
                appended.add(last);
                return answer.get(0);
            });
        } catch (RuntimeException failure) {
            if (appended.isEmpty() || !commitCheck.committed(appended.get(0), "the log events " + lastIdentifier, failure)) {
                throw failure;
            }
            return answer.get(0);
        }
    }
}
