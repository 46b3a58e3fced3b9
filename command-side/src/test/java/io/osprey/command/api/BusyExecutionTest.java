package io.osprey.command.api;

import io.osprey.command.CommandSide;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands queued behind a busy execution wait for its lock without a database connection: the node's other
 * executions go on. When every connection is in use all the same, a command is refused as the node being busy, not as
 * the database being away. The execution of tenant "held" is made busy by a write whose insert waits for a lock the
 * test holds.
 */
class BusyExecutionTest {

    private static final int POOL = 3;
    private static final long HOLD_LOCK = 4646;
    private static CommandSide commandSide;
    private static HttpJson http;

    @BeforeAll
    static void start() {
        commandSide = CommandSide.start("--spring.datasource.hikari.maximum-pool-size=" + POOL);
        http = new HttpJson(commandSide.baseUrl());
        for (String id : List.of("busy", "b1", "b2", "b3")) {
            assertThat(create("held", id).status()).isEqualTo(201);
        }
        assertThat(create("main", "free").status()).isEqualTo(201);
        HeldEvents.atInsert(commandSide.database(), "held", HOLD_LOCK);
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    private static Reply create(String tenant, String id) {
        return http.post("/api/v1/" + tenant + "/executions",
                "{\"namespace\":\"company.team\",\"flowId\":\"f\",\"flowRevision\":1,\"id\":\"" + id + "\"}");
    }

    private static CompletableFuture<Reply> label(String tenant, String id, String value) {
        return CompletableFuture.supplyAsync(() -> http.post("/api/v1/" + tenant + "/executions/" + id + "/labels",
                "[{\"key\":\"k\",\"value\":\"" + value + "\"}]"));
    }

    @Test
    void commandsQueuedBehindABusyExecutionLeaveTheConnectionsToOtherExecutions() throws Exception {
        List<CompletableFuture<Reply>> held = new ArrayList<>();
        try (Connection holder = commandSide.database().connect(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + HOLD_LOCK + ")");
            held.add(label("held", "busy", "first"));
            awaitInsertsHeld(1);
            // as many queued as the pool has connections left: each would hold one while it waits its turn
            for (int i = 0; i < POOL - 1; i++) {
                held.add(label("held", "busy", "queued-" + i));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> threadsWaitingForAnAggregateLock() == POOL - 1);

            Reply free = label("main", "free", "meanwhile").get(30, TimeUnit.SECONDS);
            assertThat(free.status()).as(free.body()).isEqualTo(200);
            statement.execute("SELECT pg_advisory_unlock(" + HOLD_LOCK + ")");
        }
        for (CompletableFuture<Reply> command : held) {
            Reply reply = command.get(30, TimeUnit.SECONDS);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        }
    }

    @Test
    void aCommandFindingEveryConnectionInUseIsRefusedAsBusyNotAsTheDatabaseAway() throws Exception {
        List<CompletableFuture<Reply>> held = new ArrayList<>();
        try (Connection holder = commandSide.database().connect(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + HOLD_LOCK + ")");
            for (String id : List.of("b1", "b2", "b3")) {
                held.add(label("held", id, "holding"));
            }
            awaitInsertsHeld(POOL);

            Reply refused = label("main", "free", "refused").get(30, TimeUnit.SECONDS);
            statement.execute("SELECT pg_advisory_unlock(" + HOLD_LOCK + ")");

            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("type").asText()).endsWith(":busy");
            assertThat(refused.json().get("detail").asText()).contains("database connections").contains("nothing was written");
        }
        for (CompletableFuture<Reply> command : held) {
            assertThat(command.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    private static void awaitInsertsHeld(int inserts) {
        await().atMost(Duration.ofSeconds(30)).until(() -> commandSide.database().count(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'")
                == inserts);
    }

    /** Request threads of this JVM (the command side runs in it) waiting in Axon's lock of an aggregate. */
    private static long threadsWaitingForAnAggregateLock() {
        ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(false, false);
        return Arrays.stream(threads).filter(thread -> Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().contains("PessimisticLockFactory"))).count();
    }
}
