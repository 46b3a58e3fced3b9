package io.osprey.command;

import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.stream.Stream;

/** A command-side application on a fresh PostgreSQL database, reached over real HTTP; closing it drops the database. */
public final class CommandSide implements AutoCloseable {

    private final TestDatabase database;
    private final ConfigurableApplicationContext app;

    private CommandSide(TestDatabase database, ConfigurableApplicationContext app) {
        this.database = database;
        this.app = app;
    }

    /** Starts on a random port with extra Spring properties ({@code --name=value}). */
    public static CommandSide start(String... properties) {
        TestDatabase database = TestPostgres.createDatabase();
        try {
            return new CommandSide(database, CommandSideApplication.builder().run(Stream.of(
                    Stream.of("--server.port=0"), Stream.of(database.springArgs()), Stream.of(properties))
                    .flatMap(arguments -> arguments).toArray(String[]::new)));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public TestDatabase database() {
        return database;
    }

    public ConfigurableApplicationContext app() {
        return app;
    }

    public int port() {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        try (database) {
            app.close();
        }
    }
}
