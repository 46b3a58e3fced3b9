package io.osprey.query;

import io.osprey.events.store.EventStorePositions;
import io.osprey.query.execution.ExecutionProjection;
import io.osprey.query.projection.ProjectionPositions;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import io.osprey.testsupport.TcpProxy;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A query-side application on a fresh PostgreSQL database, reached over real HTTP, with the event store
 * written directly the way command-side writes it (one aggregate stream per execution).
 */
public final class QuerySide implements AutoCloseable {

    private final ConfigurableApplicationContext app;
    private final Runnable dropDatabase;
    private final HttpJson http;
    private final Map<String, Long> nextSequence = new HashMap<>();
    /** The proxy between the application and its database, when started behind one. */
    private TcpProxy databaseLink;

    private QuerySide(ConfigurableApplicationContext app, Runnable dropDatabase) {
        this.app = app;
        this.dropDatabase = dropDatabase;
        this.http = new HttpJson("http://127.0.0.1:" + webServer().getPort());
    }

    /** Starts on a new PostgreSQL database, with extra Spring properties ({@code --name=value}). */
    public static QuerySide start(String... properties) {
        return start(new Class<?>[0], properties);
    }

    /**
     * Starts on a new PostgreSQL database reached through a TCP proxy, which the test can cut or freeze under the
     * running application ({@link #databaseLink()}); closing the application closes the proxy too.
     */
    public static QuerySide startBehindAProxy(String... properties) throws IOException {
        TestDatabase database = TestPostgres.createDatabase();
        TcpProxy link;
        try {
            link = database.proxy();
        } catch (IOException | RuntimeException e) {
            database.close();
            throw e;
        }
        QuerySide querySide = start(database.springArgsThrough(link), () -> {
            try (database; link) {
                // the proxy closed, then the database dropped
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, new Class<?>[0], properties);
        querySide.databaseLink = link;
        return querySide;
    }

    public TcpProxy databaseLink() {
        return databaseLink;
    }

    /** The same, with more configuration classes (for instance a test event handler). */
    public static QuerySide start(Class<?>[] extraSources, String... properties) {
        TestDatabase database = TestPostgres.createDatabase();
        return start(database.springArgs(), database::close, extraSources, properties);
    }

    /**
     * Starts on the database the datasource arguments point at (through a proxy, or another vendor);
     * {@code dropDatabase} runs when the application has stopped.
     */
    public static QuerySide start(String[] datasourceArgs, Runnable dropDatabase, Class<?>[] extraSources, String... properties) {
        // the log index belongs to one event store: a fresh directory per application unless the test names one
        boolean named = Stream.of(properties).anyMatch(property -> property.startsWith("--osprey.logs.index.dir="));
        Path logIndex = named ? null : temporaryDirectory();
        Runnable cleanUp = () -> {
            dropDatabase.run();
            if (logIndex != null) {
                deleteRecursively(logIndex);
            }
        };
        String[] ownIndex = named ? new String[0] : new String[]{"--osprey.logs.index.dir=" + logIndex};
        String[] args = Stream.of(new String[]{"--server.port=0"}, ownIndex, datasourceArgs, properties)
                .flatMap(Arrays::stream).toArray(String[]::new);
        try {
            return new QuerySide(QuerySideApplication.builder().sources(extraSources).run(args), cleanUp);
        } catch (RuntimeException e) {
            cleanUp.run();
            throw e;
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("osprey-log-index");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpJson http() {
        return http;
    }

    public WebServer webServer() {
        return ((WebServerApplicationContext) app).getWebServer();
    }

    public <T> T bean(Class<T> type) {
        return app.getBean(type);
    }

    public JdbcTemplate jdbc() {
        return bean(JdbcTemplate.class);
    }

    public TrackingEventProcessor processor() {
        return bean(EventProcessingConfiguration.class)
                .eventProcessor(ExecutionProjection.PROCESSOR, TrackingEventProcessor.class).orElseThrow();
    }

    /**
     * Appends events to an execution's stream in one transaction, numbering them after the events appended
     * before; returns the global position of the last one.
     */
    public long append(String tenant, String executionId, Object... payloads) {
        String aggregateId = aggregateId(tenant, executionId);
        List<DomainEventMessage<?>> messages = new ArrayList<>();
        for (Object payload : payloads) {
            long sequence = nextSequence.merge(aggregateId, 1L, Long::sum) - 1;
            messages.add(new GenericDomainEventMessage<>("ExecutionAggregate", aggregateId, sequence, payload));
        }
        bean(TransactionTemplate.class).executeWithoutResult(status -> bean(EventStore.class).publish(messages));
        return positionOf(tenant, executionId, nextSequence.get(aggregateId) - 1);
    }

    /** Appends events of no aggregate (log batches, log deletions) in one transaction; returns the last one's position. */
    public long publish(Object... payloads) {
        List<EventMessage<?>> messages = Arrays.stream(payloads).<EventMessage<?>>map(GenericEventMessage::asEventMessage).toList();
        bean(TransactionTemplate.class).executeWithoutResult(status -> bean(EventStore.class).publish(messages));
        return bean(EventStorePositions.class).positionOfEvent(messages.get(messages.size() - 1).getIdentifier());
    }

    public long positionOf(String tenant, String executionId, long sequence) {
        return bean(EventStorePositions.class).positionOf(aggregateId(tenant, executionId), sequence);
    }

    public long head() {
        return bean(EventStorePositions.class).head();
    }

    /** Waits until the executions projection has read everything appended so far. */
    public void awaitProjected() {
        long head = head();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> bean(ProjectionPositions.class).progress(ExecutionProjection.PROCESSOR).covers(head));
    }

    /** GET at a position the projection reaches (waiting across consistency timeouts if needed). */
    public Reply getAt(String path, long position) {
        String separator = path.contains("?") ? "&" : "?";
        Reply[] reply = new Reply[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            reply[0] = http.get(path + separator + "position=" + position);
            return "true".equals(reply[0].header("Osprey-Position-Reached"));
        });
        assertThat(reply[0].status()).as(reply[0].body()).isEqualTo(200);
        return reply[0];
    }

    private static String aggregateId(String tenant, String executionId) {
        return tenant + "/executions/" + executionId;
    }

    @Override
    public void close() {
        try {
            app.close();
        } finally {
            dropDatabase.run();
        }
    }
}
