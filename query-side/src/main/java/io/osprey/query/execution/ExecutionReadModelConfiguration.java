package io.osprey.query.execution;

import io.osprey.events.store.ReadModelSchema;
import io.osprey.query.projection.ProjectionCommits;
import io.osprey.query.projection.QueryProperties;
import io.osprey.query.projection.TrackingProjections;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The executions read model: its tables (migrated after the event store) and the processor that fills them. */
@Configuration(proxyBeanMethods = false)
public class ExecutionReadModelConfiguration {

    @Bean
    public ReadModelSchema queryExecutionsSchema() {
        return new ReadModelSchema("query_executions", "classpath:db/readmodel/execution/{vendor}");
    }

    @Bean
    public ConfigurerModule queryExecutionsProcessor(QueryProperties properties, ProjectionCommits commits) {
        return TrackingProjections.processor(ExecutionProjection.PROCESSOR, properties, commits);
    }
}
