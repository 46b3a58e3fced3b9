package io.osprey.query.blob;

import org.springframework.context.SmartLifecycle;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link BlobSweeper#sweep()} every {@code osprey.blob.sweep.interval} (first one interval after start) on
 * its own daemon thread. Its own scheduler rather than {@code @EnableScheduling}, which would switch on every
 * {@code @Scheduled} method in the application and register a shared task scheduler. Always a bean, idle when
 * {@code osprey.blob.sweep.enabled} is false: the bound setting decides, so that {@code yes}, {@code on} and
 * {@code true} all mean on (a condition on the raw text took {@code yes} for off).
 */
class BlobSweepSchedule implements SmartLifecycle {

    private final BlobSweeper sweeper;
    private final BlobSweepProperties properties;
    private ScheduledExecutorService executor;

    BlobSweepSchedule(BlobSweeper sweeper, BlobSweepProperties properties) {
        this.sweeper = sweeper;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "osprey-blob-sweep");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.interval().toMillis();
        // sweep() catches and records its own failures, so one failure never cancels the schedule
        executor.scheduleWithFixedDelay(sweeper::sweep, interval, interval, TimeUnit.MILLISECONDS);
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
