package io.osprey.query.blob;

import io.osprey.events.store.ReadModelSchema;
import io.osprey.query.projection.ProjectionCommits;
import io.osprey.query.projection.QueryProperties;
import io.osprey.query.projection.TrackingProjections;
import org.axonframework.config.ConfigurerModule;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The blob references read model (its table, migrated after the event store, and the processor that fills it)
 * and the periodic sweep of blobs that no event points at.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BlobSweepProperties.class)
public class BlobReferenceReadModelConfiguration {

    @Bean
    public ReadModelSchema queryBlobReferencesSchema() {
        return new ReadModelSchema("query_blob_references", "classpath:db/readmodel/blob/{vendor}");
    }

    @Bean
    public ConfigurerModule queryBlobReferencesProcessor(QueryProperties properties, ProjectionCommits commits) {
        return TrackingProjections.processor(BlobReferenceProjection.PROCESSOR, properties, commits);
    }

    @Bean
    BlobSweepSchedule blobSweepSchedule(BlobSweeper sweeper, BlobSweepProperties properties) {
        return new BlobSweepSchedule(sweeper, properties);
    }
}
