package io.osprey.query.blob;

import io.osprey.query.projection.ProjectionCommits;
import io.osprey.query.projection.QueryProperties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

/** The sweep's settings: checked when bound, and the bound value alone decides whether the sweep runs. */
class BlobSweepSettingsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(BlobReferenceReadModelConfiguration.class)
            .withBean(BlobSweeper.class, () -> mock(BlobSweeper.class))
            .withBean(QueryProperties.class, () -> new QueryProperties(null, null, null, null))
            .withBean(ProjectionCommits.class, ProjectionCommits::new);

    @ParameterizedTest
    @ValueSource(strings = {"true", "yes", "on", "TRUE"})
    void anyWordThatBindsAsTrueRunsTheSweep(String enabled) {
        context.withPropertyValues("osprey.blob.sweep.enabled=" + enabled).run(app -> {
            assertThat(app).hasNotFailed();
            assertThat(app.getBean(BlobSweepProperties.class).enabled()).isTrue();
            assertThat(app.getBean(BlobSweepSchedule.class).isRunning()).isTrue();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "no", "off"})
    void anyWordThatBindsAsFalseLeavesItIdle(String enabled) {
        context.withPropertyValues("osprey.blob.sweep.enabled=" + enabled).run(app -> {
            assertThat(app).hasNotFailed();
            assertThat(app.getBean(BlobSweepSchedule.class).isRunning()).isFalse();
        });
    }

    @Test
    void theSweepRunsUnlessTurnedOff() {
        context.run(app -> assertThat(app.getBean(BlobSweepSchedule.class).isRunning()).isTrue());
    }

    @Test
    void aBadValueStopsTheStartNamingItsKey() {
        context.withPropertyValues("osprey.blob.sweep.interval=500us").run(app -> assertThat(app).getFailure()
                .hasStackTraceContaining("osprey.blob.sweep.interval must be at least 1ms"));
        context.withPropertyValues("osprey.blob.sweep.tenants=../etc,Not A Tenant").run(app -> assertThat(app)
                .getFailure().hasStackTraceContaining("osprey.blob.sweep.tenants must be dot-separated segments"));
    }

    @Test
    void eachRuleNamesItsKey() {
        assertThatThrownBy(() -> properties(Duration.ofNanos(500_000), null, List.of()))
                .hasMessage("osprey.blob.sweep.interval must be at least 1ms, got PT0.0005S");
        // at 0 a blob written by a command that has not committed yet could go
        assertThatThrownBy(() -> properties(null, Duration.ZERO, List.of()))
                .hasMessage("osprey.blob.sweep.grace-period must be more than 0, got PT0S");
        assertThatThrownBy(() -> properties(null, null, List.of("acme", "../etc")))
                .hasMessageStartingWith("osprey.blob.sweep.tenants must be dot-separated segments").hasMessageEndingWith("got '../etc'");
        assertThatThrownBy(() -> properties(null, null, List.of("Not A Tenant")))
                .hasMessageEndingWith("got 'Not A Tenant'");
    }

    @Test
    void valuesWithinTheRulesAreKept() {
        BlobSweepProperties properties = properties(Duration.ofMillis(1), Duration.ofSeconds(1), List.of("acme", "acme.eu-1"));

        assertThat(properties.interval()).isEqualTo(Duration.ofMillis(1));
        assertThat(properties.gracePeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.tenants()).containsExactly("acme", "acme.eu-1");
    }

    private static BlobSweepProperties properties(Duration interval, Duration gracePeriod, List<String> tenants) {
        return new BlobSweepProperties(null, interval, gracePeriod, null, tenants, null);
    }
}
