package io.osprey.events.health;

import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * The time-boxed health checks of one application. Spring asks its indicators one after the other; were each to wait
 * its own limit, a network that stops answering (database and object store at once) would keep a health request for
 * twice the limit. So asking one check starts every check of the application that is not running or fresh: the
 * request's later checks then began with it and are done or DOWN within one limit of its start.
 */
final class HealthChecks {

    final Duration limit;
    final Executor executor;
    private final List<TimeBoxedHealthIndicator> members = new CopyOnWriteArrayList<>();

    HealthChecks(Duration limit, Executor executor) {
        this.limit = limit;
        this.executor = executor;
    }

    TimeBoxedHealthIndicator boxed(HealthIndicator check) {
        TimeBoxedHealthIndicator member = new TimeBoxedHealthIndicator(check, this);
        members.add(member);
        return member;
    }

    void startAll() {
        members.forEach(TimeBoxedHealthIndicator::current);
    }
}
