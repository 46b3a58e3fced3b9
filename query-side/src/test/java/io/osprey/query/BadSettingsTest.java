package io.osprey.query;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A setting outside its range stops the start of a real query side with a message naming its key. */
class BadSettingsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "spring.datasource.hikari.data-source-properties.socketTimeout=-1 | spring.datasource.hikari.data-source-properties.socketTimeout must be between 1 and",
            "osprey.event-store.fetch-delay=0                                 | osprey.event-store.fetch-delay must be at least 1ms",
            "osprey.blob.sweep.interval=500us                                 | osprey.blob.sweep.interval must be at least 1ms",
            "osprey.blob.sweep.tenants=../etc,Not A Tenant                    | osprey.blob.sweep.tenants must be dot-separated segments",
            "osprey.logs.index.refresh-interval=0                             | osprey.logs.index.refresh-interval must be more than 0"})
    void stopsTheStartNamingItsKey(String setting, String message) {
        assertThatThrownBy(() -> QuerySide.start("--" + setting)).hasStackTraceContaining(message);
    }
}
