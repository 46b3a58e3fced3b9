package io.osprey.events.validation;

import io.osprey.events.store.EventStoreProperties;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingRulesTest {

    @Test
    void aValueOutsideItsRuleIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> SettingRules.positive("a.b", Duration.ZERO)).hasMessage("a.b must be more than 0, got PT0S");
        assertThatThrownBy(() -> SettingRules.notNegative("a.b", Duration.ofSeconds(-1))).hasMessageStartingWith("a.b must not be negative");
        assertThatThrownBy(() -> SettingRules.atLeast("a.b", 1, 0)).hasMessage("a.b must be at least 1, got 0");
        assertThatThrownBy(() -> SettingRules.positive("a.b", Double.NaN)).hasMessageStartingWith("a.b must be more than 0");
        assertThatThrownBy(() -> SettingRules.atLeastAMillisecond("a.b", Duration.ofNanos(500_000)))
                .hasMessage("a.b must be at least 1ms, got PT0.0005S");
        assertThatThrownBy(() -> SettingRules.wholeDays("a.b", Duration.ofHours(12)))
                .hasMessage("a.b must be a whole number of days (such as 7d), got PT12H");
        assertThatThrownBy(() -> SettingRules.wholeDays("a.b", Duration.ofDays(-1))).hasMessageStartingWith("a.b must not be negative");
        assertThatThrownBy(() -> SettingRules.tenant("a.b", "../etc"))
                .hasMessage("a.b must be dot-separated segments of letters, digits, '_' and '-', got '../etc'");
        assertThatThrownBy(() -> SettingRules.tenant("a.b", "x".repeat(65))).hasMessageStartingWith("a.b must be at most 64");
    }

    @Test
    void aValueWithinItsRuleIsKept() {
        assertThat(SettingRules.positive("a.b", Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));
        assertThat(SettingRules.notNegative("a.b", Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(SettingRules.atLeast("a.b", 1, 1)).isEqualTo(1);
        assertThat(SettingRules.positive("a.b", 0.5)).isEqualTo(0.5);
        assertThat(SettingRules.atLeastAMillisecond("a.b", Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));
        assertThat(SettingRules.wholeDays("a.b", Duration.ofDays(7))).isEqualTo(Duration.ofDays(7));
        assertThat(SettingRules.wholeDays("a.b", Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(SettingRules.tenant("a.b", "acme.eu-1")).isEqualTo("acme.eu-1");
    }

    @Test
    void theEventStoresSettingsAreChecked() {
        assertThatThrownBy(() -> new EventStoreProperties(null, 0, null, null))
                .hasMessage("osprey.event-store.batch-size must be at least 1, got 0");
        assertThatThrownBy(() -> new EventStoreProperties(null, null, Duration.ofSeconds(-1), null))
                .hasMessageStartingWith("osprey.event-store.gap-timeout must be more than 0");
        // 0 polled PostgreSQL in a tight loop on idle nodes; the delay is handed to Axon in whole milliseconds
        assertThatThrownBy(() -> new EventStoreProperties(Duration.ZERO, null, null, null))
                .hasMessageStartingWith("osprey.event-store.fetch-delay must be at least 1ms");
        assertThatThrownBy(() -> new EventStoreProperties(Duration.ofNanos(500_000), null, null, null))
                .hasMessageStartingWith("osprey.event-store.fetch-delay must be at least 1ms");
    }
}
