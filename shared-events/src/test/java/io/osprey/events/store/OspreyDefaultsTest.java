package io.osprey.events.store;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OspreyDefaultsTest {

    private static final String SOCKET_TIMEOUT = OspreyDefaults.SOCKET_TIMEOUT;

    private static StandardEnvironment environment(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("given", settings));
        new OspreyDefaults().postProcessEnvironment(environment, null);
        return environment;
    }

    @Test
    void aStatementWaitsForTheDatabasesAnswerThirtySecondsUnlessConfiguredOtherwise() {
        assertThat(environment(Map.of()).getProperty(SOCKET_TIMEOUT)).isEqualTo("30");
        assertThat(environment(Map.of(SOCKET_TIMEOUT, "120")).getProperty(SOCKET_TIMEOUT)).isEqualTo("120");
    }

    @Test
    void aSocketTimeoutThatWouldNeverEndAWaitStopsTheStartNamingItsKey() {
        assertThatThrownBy(() -> environment(Map.of(SOCKET_TIMEOUT, "-1")))
                .hasMessage(SOCKET_TIMEOUT + " must be between 1 and 2147483647 seconds, got -1");
        assertThatThrownBy(() -> environment(Map.of(SOCKET_TIMEOUT, "0")))
                .hasMessageStartingWith(SOCKET_TIMEOUT + " must be between 1 and");
        assertThatThrownBy(() -> environment(Map.of(SOCKET_TIMEOUT, "30s")))
                .hasMessage(SOCKET_TIMEOUT + " must be a whole number of seconds, got 30s");
        assertThat(environment(Map.of(SOCKET_TIMEOUT, "1")).getProperty(SOCKET_TIMEOUT)).isEqualTo("1");
    }
}
