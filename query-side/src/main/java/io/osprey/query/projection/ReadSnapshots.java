package io.osprey.query.projection;

import io.osprey.events.store.DatabaseVendor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Supplier;

/**
 * Several reads of the read-model tables made on one snapshot of them, so that what they answer together was true at
 * one moment: a view and its task runs, a page and its total, while projections write. PostgreSQL's REPEATABLE READ
 * is such a snapshot; H2's fixes each table at its first read only, and its SERIALIZABLE is the snapshot.
 */
@Component
public class ReadSnapshots {

    private final PlatformTransactionManager transactions;
    private final JdbcTemplate jdbc;
    private volatile TransactionTemplate snapshot;

    public ReadSnapshots(PlatformTransactionManager transactions, JdbcTemplate jdbc) {
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    public <T> T read(Supplier<T> reads) {
        return snapshot().execute(status -> reads.get());
    }

    /** Chosen at the first read rather than at start, so that a database away at start is a 503 then, not a failed start. */
    private TransactionTemplate snapshot() {
        TransactionTemplate template = snapshot;
        if (template == null) {
            DatabaseVendor vendor = DatabaseVendor.of(jdbc);
            template = new TransactionTemplate(transactions);
            template.setReadOnly(true);
            template.setIsolationLevel(vendor == DatabaseVendor.H2 ? TransactionDefinition.ISOLATION_SERIALIZABLE
                    : TransactionDefinition.ISOLATION_REPEATABLE_READ);
            snapshot = template;
        }
        return template;
    }
}
