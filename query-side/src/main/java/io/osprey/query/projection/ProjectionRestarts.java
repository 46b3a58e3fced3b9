package io.osprey.query.projection;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts again a projection that an {@link Error} stopped. Axon's tracking processor retries a batch that failed with
 * an exception, but a worker that met an Error (an {@code OutOfMemoryError} thrown in it while a large request
 * elsewhere held the heap) ends, and the processor stays paused in its error state: in a probe the namespace files
 * projection stood still for good while health said UP. The check runs every {@link #EVERY}; a processor that is
 * started again replays the batch from its last committed token.
 */
@Component
class ProjectionRestarts implements SmartLifecycle {

    static final Duration EVERY = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(ProjectionRestarts.class);

    private final EventProcessingConfiguration processors;
    private ScheduledExecutorService checks;

    ProjectionRestarts(EventProcessingConfiguration processors) {
        this.processors = processors;
    }

    /** Starts every tracking processor that an error stopped; returns how many. */
    int restartStopped() {
        int restarted = 0;
        for (EventProcessor each : processors.eventProcessors().values()) {
            if (each instanceof TrackingEventProcessor processor && processor.isError() && !processor.isRunning()) {
                log.warn("projection {} was stopped by an error; starting it again from its last commit", processor.getName());
                processor.start();
                restarted++;
            }
        }
        return restarted;
    }

    @Override
    public synchronized void start() {
        checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "projection-restarts");
            thread.setDaemon(true);
            return thread;
        });
        checks.scheduleWithFixedDelay(() -> {
            try {
                restartStopped();
            } catch (RuntimeException | Error e) {
                log.warn("checking the projections failed", e); // the next check tries again
            }
        }, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (checks != null) {
            checks.shutdownNow();
            checks = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return checks != null;
    }
}
