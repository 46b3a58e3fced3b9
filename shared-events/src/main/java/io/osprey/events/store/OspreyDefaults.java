package io.osprey.events.store;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Adds {@code osprey-defaults.yml} — the settings every Osprey application shares (event store schema,
 * Axon without Axon Server, actuator, problem details) — with the lowest precedence, so that each app's
 * own file, the environment and the command line override it. Then checks the one setting no properties record of
 * Osprey binds, the database's socket timeout.
 */
public class OspreyDefaults implements EnvironmentPostProcessor {

    private static final String RESOURCE = "osprey-defaults.yml";
    private static final String DATA_SOURCE_PROPERTIES = "spring.datasource.hikari.data-source-properties";
    static final String SOCKET_TIMEOUT = DATA_SOURCE_PROPERTIES + ".socketTimeout";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(RESOURCE, new ClassPathResource(RESOURCE));
            sources.forEach(environment.getPropertySources()::addLast);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        checkSocketTimeout(environment);
    }

    /**
     * Whole seconds, at least 1: the driver reads 0 as no timeout and a negative value or a word as nothing at all, so
     * that any of them let a database that stops answering hold every request sent to it, behind a node that is UP.
     */
    private static void checkSocketTimeout(ConfigurableEnvironment environment) {
        // read as Hikari binds it, so that the value checked is the one the driver gets
        String value = Binder.get(environment).bind(DATA_SOURCE_PROPERTIES, Bindable.mapOf(String.class, String.class))
                .orElse(Map.of()).get("socketTimeout");
        if (value == null) {
            return;
        }
        long seconds;
        try {
            seconds = Long.parseLong(value.trim());
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException(SOCKET_TIMEOUT + " must be a whole number of seconds, got " + value);
        }
        if (seconds < 1 || seconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(SOCKET_TIMEOUT + " must be between 1 and " + Integer.MAX_VALUE
                    + " seconds, got " + value);
        }
    }
}
