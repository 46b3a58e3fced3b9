package io.osprey.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A real PostgreSQL for tests. Each call to {@link #createDatabase()} makes a fresh database that
 * the returned handle drops on close, so runs never see each other's data.
 * <p>
 * Server: {@code OSPREY_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user
 * {@code OSPREY_TEST_PG_USER}, default {@code postgres}) when it answers; otherwise a Testcontainers
 * PostgreSQL where a Docker engine exists.
 */
public final class TestPostgres {

    private static Server server;

    private TestPostgres() {
    }

    public static TestDatabase createDatabase() {
        Server admin = server();
        String name = "osprey_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin.execute("CREATE DATABASE " + name);
        String url = admin.url().substring(0, admin.url().lastIndexOf('/') + 1) + name;
        return new TestDatabase(url, admin.user(), admin.password(), () -> admin.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    private static synchronized Server server() {
        if (server == null) {
            server = locate();
        }
        return server;
    }

    private static Server locate() {
        String url = env("OSPREY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = env("OSPREY_TEST_PG_USER", "postgres");
        String password = env("OSPREY_TEST_PG_PASSWORD", "");
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            return new Server(url, user, password);
        } catch (SQLException unreachable) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                throw new IllegalStateException("No PostgreSQL at " + url + " and no Docker engine for Testcontainers;"
                        + " start PostgreSQL or set OSPREY_TEST_PG_URL", unreachable);
            }
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private record Server(String url, String user, String password) {
        void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(url, user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql.toLowerCase(Locale.ROOT) + " failed", e);
            }
        }
    }
}
