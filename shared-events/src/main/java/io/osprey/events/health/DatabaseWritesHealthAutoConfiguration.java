package io.osprey.events.health;

import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;

/** The {@code databaseWrites} health component: whether the database takes writes, not only answers. */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(DataSource.class)
public class DatabaseWritesHealthAutoConfiguration {

    @Bean
    HealthIndicator databaseWritesHealthIndicator(DataSource dataSource) {
        return new DatabaseWritesHealthIndicator(dataSource);
    }
}
