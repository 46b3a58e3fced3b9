package io.osprey.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

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

    /** Spring properties that point a Spring Boot application at this database. */
    public String[] springProperties() {
        return new String[]{
                "spring.datasource.url=" + url,
                "spring.datasource.username=" + user,
                "spring.datasource.password=" + password,
        };
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
