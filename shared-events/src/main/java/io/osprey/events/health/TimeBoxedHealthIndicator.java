package io.osprey.events.health;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A health check that answers within its time limit, whatever its dependency does. A database or object store that
 * stops answering holds a check until the driver's own timeout (30 s by default), and each health request that came
 * meanwhile a thread of the server: here the check runs on a thread of its own, one at a time, and a request that
 * comes while it runs, or within the limit after it began, shares its answer; a check that has not answered within
 * the limit of its start is DOWN.
 */
final class TimeBoxedHealthIndicator implements HealthIndicator {

    private final HealthIndicator check;
    private final HealthChecks checks;
    private final AtomicReference<Running> running = new AtomicReference<>();

    private record Running(CompletableFuture<Health> answer, long startedNanos) {
    }

    TimeBoxedHealthIndicator(HealthIndicator check, HealthChecks checks) {
        this.check = check;
        this.checks = checks;
    }

    @Override
    public Health health() {
        checks.startAll();
        Running current = current();
        long limitNanos = checks.limit.toNanos();
        try {
            return current.answer().get(Math.max(0, limitNanos - sinceStart(current)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            Duration asked = Duration.ofNanos(sinceStart(current)).truncatedTo(ChronoUnit.MILLIS);
            return Health.down().withDetail("error", "no answer within " + checks.limit + " (this check has run for "
                    + asked + ")").build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause() instanceof Exception cause ? cause : e).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
    }

    /** The check running now or begun within the limit, else a new one. */
    Running current() {
        while (true) {
            Running last = running.get();
            if (last != null && (!last.answer().isDone() || sinceStart(last) < checks.limit.toNanos())) {
                return last;
            }
            Running next = new Running(new CompletableFuture<>(), System.nanoTime());
            if (running.compareAndSet(last, next)) {
                checks.executor.execute(() -> {
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

    private static long sinceStart(Running check) {
        return System.nanoTime() - check.startedNanos();
    }
}
