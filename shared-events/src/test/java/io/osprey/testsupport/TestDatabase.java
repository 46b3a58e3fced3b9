package io.osprey.testsupport;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A database created for one test run; closing it drops it. */
public final class TestDatabase implements AutoCloseable {

    private final String url;
    private final String user;
    private final String password;
    private final Runnable drop;

    TestDatabase(String url, String user, String password, Runnable drop) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.drop = drop;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** The number the query answers (its first column of its first row), on a connection of its own. */
    public long count(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a statement on a connection of its own. */
    public void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Spring properties that point a Spring Boot application at this database. */
    public String[] springProperties() {
        return new String[]{
                "spring.datasource.url=" + url,
                "spring.datasource.username=" + user,
                "spring.datasource.password=" + password,
        };
    }

    /** A TCP proxy to this database's server, which a test can cut or freeze under a running application. */
    public TcpProxy proxy() throws IOException {
        URI server = server();
        return new TcpProxy(server.getHost(), server.getPort());
    }

    /** Command-line arguments that point a Spring Boot application at this database through {@code proxy}. */
    public String[] springArgsThrough(TcpProxy proxy) {
        URI server = server();
        String proxied = url.replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port());
        return new String[]{"--spring.datasource.url=" + proxied, "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password};
    }

    private URI server() {
        return URI.create(url.substring("jdbc:".length()));
    }

    /** The same as command-line arguments, which win over an application's own configuration files. */
    public String[] springArgs() {
        return java.util.Arrays.stream(springProperties()).map(property -> "--" + property).toArray(String[]::new);
    }

    @Override
    public void close() {
        drop.run();
    }
}
