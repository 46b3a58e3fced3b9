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
 * comes while it runs, or within the limit after it answered, shares its answer; a check that has not answered within
 * the limit of its start is DOWN.
 */
final class TimeBoxedHealthIndicator implements HealthIndicator {

    private final HealthIndicator check;
    private final HealthChecks checks;
    private final AtomicReference<Running> running = new AtomicReference<>();

    /** One run of the check: its answer once it comes, when it began and when it answered. */
    private static final class Running {
        final CompletableFuture<Health> answer = new CompletableFuture<>();
        final long startedNanos = System.nanoTime();
        volatile long answeredNanos;

        boolean fresh(long limitNanos) {
            return !answer.isDone() || System.nanoTime() - answeredNanos < limitNanos;
        }
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
            return current.answer.get(Math.max(0, limitNanos - sinceStart(current)), TimeUnit.NANOSECONDS);
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

    /**
     * The check running now or that answered within the limit, else a new one. An answer counts from when it came, not
     * from when its check began: a check that a request's earlier checks kept it waiting for, and that answered
     * meanwhile, is not run again.
     */
    Running current() {
        while (true) {
            Running last = running.get();
            if (last != null && last.fresh(checks.limit.toNanos())) {
                return last;
            }
            Running next = new Running();
            if (running.compareAndSet(last, next)) {
                checks.executor.execute(() -> {
                    Health health = null;
                    Throwable failure = null;
                    try {
                        health = check.health();
                    } catch (Throwable e) {
                        failure = e;
                    }
                    next.answeredNanos = System.nanoTime();
                    if (failure == null) {
                        next.answer.complete(health);
                    } else {
                        next.answer.completeExceptionally(failure);
                    }
                });
                return next;
            }
        }
    }

    private static long sinceStart(Running check) {
        return System.nanoTime() - check.startedNanos;
    }
}
