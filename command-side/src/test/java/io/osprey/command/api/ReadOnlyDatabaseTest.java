package io.osprey.command.api;

import io.osprey.command.CommandSide;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A PostgreSQL that accepts no writes (a hot standby, a failover in progress: here the database's sessions made
 * read-only) refuses every write with a 503 that wrote nothing, shows in health, and once it takes writes again the
 * node writes again by itself: its connections opened read-only are not kept.
 */
class ReadOnlyDatabaseTest {

    private static CommandSide commandSide;
    private static HttpJson http;
    private static String databaseName;
    private static final AtomicInteger ids = new AtomicInteger();
    private static final AtomicInteger created = new AtomicInteger();

    @BeforeAll
    static void start() {
        commandSide = CommandSide.start();
        http = new HttpJson(commandSide.baseUrl());
        String url = commandSide.database().url();
        databaseName = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            writable();
            commandSide.close();
        }
    }

    private static Reply create() {
        Reply reply = http.post("/api/v1/main/executions", "{\"namespace\":\"company.team\",\"flowId\":\"f\","
                + "\"flowRevision\":1,\"id\":\"e" + ids.incrementAndGet() + "\"}");
        if (reply.status() == 201) {
            created.incrementAndGet();
        }
        return reply;
    }

    /** New sessions of the database are read-only from now on; the node's sessions are ended. */
    private static void readOnly() {
        commandSide.database().execute("ALTER DATABASE " + databaseName + " SET default_transaction_read_only = on");
        commandSide.database().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + databaseName + "' AND pid <> pg_backend_pid()");
    }

    /** New sessions take writes again; said from another database of the server, whose sessions take writes. */
    private static void writable() {
        String url = commandSide.database().url().replace("/" + databaseName, "/postgres");
        try (Connection connection = DriverManager.getConnection(url, commandSide.database().user(),
                commandSide.database().password()); Statement statement = connection.createStatement()) {
            statement.execute("ALTER DATABASE " + databaseName + " RESET default_transaction_read_only");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writesAreRefusedWith503WhileTheDatabaseIsReadOnlyAndGoOnByThemselvesAfter() {
        assertThat(create().status()).isEqualTo(201);

        readOnly();
        // the pool's connections ended with the sessions: a check may first meet one of them, then a read-only one
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/actuator/health").json()
                .at("/components/databaseWrites/details/error").asText().contains("read-only"));
        assertThat(http.get("/actuator/health").status()).isEqualTo(503);
        Reply refused = create();
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asText()).contains("nothing was written");

        // writable again, without ending the node's sessions this time: the read-only ones must go by themselves
        writable();
        await().atMost(Duration.ofSeconds(30)).until(() -> create().status() == 201);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/actuator/health").status() == 200);
        assertThat(events()).as("one event per execution created, none of the refused ones").isEqualTo(created.get());
    }

    private static long events() {
        return commandSide.database().count("SELECT COUNT(*) FROM domain_event_entry");
    }
}
