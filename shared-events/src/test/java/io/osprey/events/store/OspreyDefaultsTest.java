package io.osprey.events.store;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OspreyDefaultsTest {

    private static final String SOCKET_TIMEOUT = "spring.datasource.hikari.data-source-properties.socketTimeout";

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
}
