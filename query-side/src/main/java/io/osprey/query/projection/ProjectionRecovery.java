package io.osprey.query.projection;

import io.osprey.events.store.DatabaseFailures;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.EventTrackerStatusChangeListener;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Restarts a projection whose processor failed as soon as the database answers again. Axon's tracking processor
 * retries a failed batch after a pause that doubles up to a minute, so after an outage of a minute or more the read
 * models stayed behind (and reads at a position timed out) for up to a minute after PostgreSQL was back. A processor
 * reports each failure to its status listener; the next check (every {@link #CHECK}) that finds the database answering
 * stops it and starts it again, which retries at once.
 */
@Component
public class ProjectionRecovery implements SmartLifecycle {

    static final Duration CHECK = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(ProjectionRecovery.class);

    private final DatabaseFailures database;
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService executor;

    public ProjectionRecovery(DatabaseFailures database, ObjectProvider<EventProcessingConfiguration> processing) {
        this.database = database;
        this.processing = processing;
    }

    /**
     * The status listener of the named processor, told when a segment starts failing (not at each retry) and when it
     * runs again: a failing one is marked for a restart, one that recovered by itself is not.
     */
    EventTrackerStatusChangeListener listener(String processor) {
        return changes -> {
            if (changes.values().stream().anyMatch(EventTrackerStatus::isErrorState)) {
                failed.add(processor);
            } else {
                failed.remove(processor);
            }
        };
    }

    /** Whether the named processor failed and waits for the database to answer again. */
    public boolean failing(String processor) {
        return failed.contains(processor);
    }

    void check() {
        if (failed.isEmpty() || !database.databaseAnswers()) {
            return;
        }
        for (String name : Set.copyOf(failed)) {
            failed.remove(name);
            processing.getObject().eventProcessor(name, TrackingEventProcessor.class).ifPresent(processor -> {
                log.info("the database answers again: restarting projection {} without waiting out its pause", name);
                processor.shutDown();
                processor.start();
            });
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "osprey-projection-recovery");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                log.warn("restarting failed projections failed; trying again", e);
            }
        }, CHECK.toMillis(), CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
