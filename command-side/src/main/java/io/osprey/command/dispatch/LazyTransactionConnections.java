package io.osprey.command.dispatch;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.UtilityElf;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

import java.io.Closeable;
import java.sql.Connection;

/**
 * A command's transaction takes its database connection at its first statement, not when it begins. The command
 * waits for its aggregate's lock inside the transaction, before the aggregate is read: commands queued behind a busy
 * execution each held a connection while they waited, and 30 of them on one execution took the pool from every other
 * execution and tenant of the node (503 "the event store is unavailable" while PostgreSQL was fine).
 */
@Configuration(proxyBeanMethods = false)
public class LazyTransactionConnections {

    @Bean
    static BeanPostProcessor lazyTransactionConnectionsPostProcessor() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof HikariDataSource pool ? lazy(pool) : bean;
            }
        };
    }

    private static LazyConnectionDataSourceProxy lazy(HikariDataSource pool) {
        LazyConnections lazy = new LazyConnections(pool);
        // what a connection of the pool starts with, stated so that the proxy need not open one to learn it (at start,
        // with the database away); both PostgreSQL and H2 read committed by default
        lazy.setDefaultAutoCommit(pool.isAutoCommit());
        lazy.setDefaultTransactionIsolation(pool.getTransactionIsolation() == null ? Connection.TRANSACTION_READ_COMMITTED
                : UtilityElf.getTransactionIsolation(pool.getTransactionIsolation()));
        lazy.afterPropertiesSet();
        return lazy;
    }

    /** Closed with the application, it closes the pool, as the pool's own bean would have been. */
    static final class LazyConnections extends LazyConnectionDataSourceProxy implements Closeable {
        private final HikariDataSource pool;

        LazyConnections(HikariDataSource pool) {
            this.pool = pool;
            setTargetDataSource(pool);
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
