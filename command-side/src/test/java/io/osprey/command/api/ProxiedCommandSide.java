package io.osprey.command.api;

import io.osprey.command.CommandSideApplication;
import io.osprey.testsupport.TcpProxy;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A command side on a fresh PostgreSQL database reached through a TCP proxy, so that a test can cut the
 * database away ({@link #cutDatabase()}) under the running application and bring it back.
 */
public final class ProxiedCommandSide implements AutoCloseable {

    private final TestDatabase database = TestPostgres.createDatabase();
    private final TcpProxy databaseLink;
    private final ConfigurableApplicationContext app;

    /** @param properties more {@code --name=value} settings for the application */
    public ProxiedCommandSide(String... properties) throws IOException {
        try {
            databaseLink = database.proxy();
        } catch (IOException | RuntimeException e) {
            database.close();
            throw e;
        }
        try {
            app = start(properties);
        } catch (RuntimeException e) {
            try (database; databaseLink) {
                throw e;
            }
        }
    }

    private ConfigurableApplicationContext start(String... properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.hikari.connection-timeout=1000"));
        args.addAll(List.of(database.springArgsThrough(databaseLink)));
        args.addAll(List.of(properties));
        return CommandSideApplication.builder().run(args.toArray(String[]::new));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    public void cutDatabase() {
        databaseLink.cut();
    }

    /** The database stops answering: connections stay open, nothing comes back. */
    public void freezeDatabase() {
        databaseLink.freeze();
    }

    public void restoreDatabase() {
        databaseLink.restore();
    }

    /** The single number a query answers, read directly from the database (never through the proxy). */
    public long count(String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        try (database; databaseLink; app) {
            // closed in reverse order: the application, the proxy, then the database is dropped
        }
    }
}
