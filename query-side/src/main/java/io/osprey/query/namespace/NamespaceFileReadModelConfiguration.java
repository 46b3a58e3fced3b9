package io.osprey.query.namespace;

import io.osprey.events.store.ReadModelSchema;
import io.osprey.query.projection.ProjectionCommits;
import io.osprey.query.projection.QueryProperties;
import io.osprey.query.projection.TrackingProjections;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The namespace files read model: its tables (migrated after the event store) and the processor that fills them. */
@Configuration(proxyBeanMethods = false)
public class NamespaceFileReadModelConfiguration {

    @Bean
    public ReadModelSchema queryNamespaceFilesSchema() {
        return new ReadModelSchema("query_namespace_files", "classpath:db/readmodel/namespace/{vendor}");
    }

    @Bean
    public ConfigurerModule queryNamespaceFilesProcessor(QueryProperties properties, ProjectionCommits commits) {
        return TrackingProjections.processor(NamespaceFileProjection.PROCESSOR, properties, commits);
    }
}
