package io.osprey.events.health;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TimeBoxedHealthIndicatorTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch dependencyAnswers = new CountDownLatch(1);
    private final AtomicInteger checksRun = new AtomicInteger();

    /** A check whose dependency hangs until {@link #dependencyAnswers} is counted down. */
    private final HealthIndicator hangingCheck = () -> {
        checksRun.incrementAndGet();
        try {
            dependencyAnswers.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Health.up().withDetail("store", "answered").build();
    };

    @AfterEach
    void stop() {
        dependencyAnswers.countDown();
        threads.shutdownNow();
    }

    /** The check, alone in its application. */
    private TimeBoxedHealthIndicator boxed(HealthIndicator check, Duration limit) {
        return new HealthChecks(limit, threads).boxed(check);
    }

    @Test
    void aCheckThatHangsIsDownWithinTheLimitAndRunsOnceHoweverManyAsk() throws Exception {
        TimeBoxedHealthIndicator health = boxed(hangingCheck, Duration.ofMillis(200));

        List<CompletableFuture<Health>> asked = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(health::health)).toList();

        for (CompletableFuture<Health> answer : asked) {
            // far below the hang: an answer at all is the limit at work
            Health down = answer.get(10, TimeUnit.SECONDS);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("error").toString()).startsWith("no answer within PT0.2S");
        }
        assertThat(health.health().getStatus()).as("asked again while it still hangs").isEqualTo(Status.DOWN);
        assertThat(checksRun).as("one check of the hung dependency at a time").hasValue(1);
    }

    @Test
    void anAnswerThatCameAfterTheLimitIsServedForTheLimitThenTheCheckRunsAgain() throws Exception {
        TimeBoxedHealthIndicator health = boxed(hangingCheck, Duration.ofMillis(200));
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

        dependencyAnswers.countDown();

        // as when a request's earlier checks kept it waiting past this check's limit, and it answered meanwhile
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.UP));
        assertThat(checksRun).as("the late answer, not a check run again").hasValue(1);
        assertThat(health.health().getDetails()).containsEntry("store", "answered");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            health.health();
            assertThat(checksRun).as("a check once the answer is older than the limit").hasValue(2);
        });
    }

    @Test
    void askingOneCheckStartsTheApplicationsOthersSoThatARequestWaitsOneLimitHoweverManyHang() throws Exception {
        HealthChecks application = new HealthChecks(Duration.ofMillis(200), threads);
        CountDownLatch storeAsked = new CountDownLatch(1);
        TimeBoxedHealthIndicator database = application.boxed(hangingCheck);
        TimeBoxedHealthIndicator store = application.boxed(() -> {
            storeAsked.countDown();
            return hangingCheck.health();
        });

        assertThat(database.health().getStatus()).isEqualTo(Status.DOWN);

        assertThat(storeAsked.await(10, TimeUnit.SECONDS)).as("the store's check began with the database's").isTrue();
        assertThat(store.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(checksRun).as("each check once, not again for the second question").hasValue(2);
    }

    @Test
    void aCheckThatAnswersInTimeGivesItsOwnAnswerAndAFailingOneIsDownWithItsError() {
        TimeBoxedHealthIndicator up = boxed(() -> Health.up().withDetail("store", "S3").build(), Duration.ofSeconds(10));
        TimeBoxedHealthIndicator failing = boxed(() -> {
            throw new IllegalStateException("bucket gone");
        }, Duration.ofSeconds(10));

        assertThat(up.health().getDetails()).containsEntry("store", "S3");
        assertThat(up.health().getStatus()).isEqualTo(Status.UP);
        Health down = failing.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails().get("error").toString()).contains("bucket gone");
    }
}
