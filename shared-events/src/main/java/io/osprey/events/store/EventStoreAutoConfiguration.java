package io.osprey.events.store;

import io.osprey.events.EventMetadata;
import io.osprey.events.EventSerialization;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The one Axon event store setup both sides (and standalone) run on: Jackson for events, messages,
 * snapshots and tokens; Axon's JDBC storage engine on the application's DataSource (PostgreSQL, or H2
 * embedded) with Flyway-owned tables; and our metadata propagated from commands to events.
 */
@AutoConfiguration(before = {AxonAutoConfiguration.class, JdbcAutoConfiguration.class})
@EnableConfigurationProperties(EventStoreProperties.class)
public class EventStoreAutoConfiguration {

    @Bean
    @Primary
    public Serializer serializer() {
        return EventSerialization.serializer();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        return EventSerialization.serializer();
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer() {
        return EventSerialization.serializer();
    }

    @Bean
    public EventStorageEngine eventStorageEngine(Serializer serializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                 Configuration configuration,
                                                 ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager,
                                                 EventSchema schema,
                                                 EventStoreProperties properties) {
        return JdbcEventStorageEngine.builder()
                .schema(schema)
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .dataType(byte[].class)
                .batchSize(properties.batchSize())
                .gapTimeout((int) properties.gapTimeout().toMillis())
                .build();
    }

    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new DuplicateKeyResolver();
    }

    /** Snake-case table and column names, as created by the Flyway migration in {@code db/eventstore}. */
    @Bean
    public EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    public TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    @Bean(name = "eventBus")
    @Qualifier("eventStore")
    public EmbeddedEventStore eventStore(EventStorageEngine storageEngine, Configuration configuration,
                                         EventStoreProperties properties) {
        EmbeddedEventStore store = EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(properties.fetchDelay().toMillis())
                .cachedEvents(properties.cachedEvents())
                .timeUnit(TimeUnit.MILLISECONDS)
                .build();
        store.registerDispatchInterceptor(CommitDeadline.of(properties.gapTimeout()));
        return store;
    }

    @Bean
    public CorrelationDataProvider ospreyMetadataProvider() {
        return new SimpleCorrelationDataProvider(EventMetadata.PROPAGATED.toArray(String[]::new));
    }

    @Bean
    public EventStorePositions eventStorePositions(JdbcTemplate jdbc) {
        return new EventStorePositions(jdbc);
    }

    @Bean
    public EventStoreGaps eventStoreGaps(JdbcTemplate jdbc) {
        return new EventStoreGaps(jdbc);
    }

    @Bean
    public DatabaseFailures databaseFailures(javax.sql.DataSource dataSource) {
        return new DatabaseFailures(dataSource);
    }

    /** The event store schema first, then every module's own schema with its own history table. */
    @Bean
    public FlywayMigrationStrategy eventStoreThenReadModels(ObjectProvider<ReadModelSchema> schemas) {
        return flyway -> {
            flyway.migrate();
            String vendor = vendorOf(flyway);
            schemas.orderedStream().forEach(schema -> Flyway.configure()
                    .configuration(flyway.getConfiguration())
                    .locations(schema.location().replace("{vendor}", vendor))
                    .table("flyway_" + schema.name() + "_history")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate());
        };
    }

    private static String vendorOf(Flyway flyway) {
        try (Connection connection = flyway.getConfiguration().getDataSource().getConnection()) {
            return DatabaseVendor.of(connection).folder();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell the database vendor", e);
        }
    }
}
