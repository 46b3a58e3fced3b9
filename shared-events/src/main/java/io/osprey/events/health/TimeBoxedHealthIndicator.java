package io.osprey.events.health;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A health check that answers within its time limit, whatever its dependency does. A database or object store that
 * stops answering holds a check until the driver's own timeout (30 s by default), and each health request that came
 * meanwhile a thread of the server: here the check runs on a thread of its own, one at a time, and a request that
 * comes while it runs shares its answer; a check that has not answered within the limit of its start is DOWN.
 */
final class TimeBoxedHealthIndicator implements HealthIndicator {

    private final HealthIndicator check;
    private final Duration limit;
    private final Executor executor;
    private final AtomicReference<Running> running = new AtomicReference<>();

    private record Running(CompletableFuture<Health> answer, long startedNanos) {
    }

    TimeBoxedHealthIndicator(HealthIndicator check, Duration limit, Executor executor) {
        this.check = check;
        this.limit = limit;
        this.executor = executor;
    }

    @Override
    public Health health() {
        Running current = current();
        long waitNanos = limit.toNanos() - (System.nanoTime() - current.startedNanos());
        try {
            return current.answer().get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            Duration asked = Duration.ofNanos(System.nanoTime() - current.startedNanos()).truncatedTo(ChronoUnit.MILLIS);
            return Health.down().withDetail("error", "no answer within " + limit + " (this check has run for "
                    + asked + ")").build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause() instanceof Exception cause ? cause : e).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
    }

    /** The check running now, or a new one if the last has answered. */
    private Running current() {
        while (true) {
            Running last = running.get();
            if (last != null && !last.answer().isDone()) {
                return last;
            }
            Running next = new Running(new CompletableFuture<>(), System.nanoTime());
            if (running.compareAndSet(last, next)) {
                executor.execute(() -> {
                    try {
                        next.answer().complete(check.health());
                    } catch (Throwable failure) {
                        next.answer().completeExceptionally(failure);
                    }
                });
                return next;
            }
        }
    }
}
