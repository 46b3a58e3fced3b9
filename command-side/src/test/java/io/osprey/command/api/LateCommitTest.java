package io.osprey.command.api;

import io.osprey.command.CommandSide;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A write whose events would commit later than half the gap timeout after they were dated (a database slow to answer,
 * here an insert held on a lock) is a 503 that wrote nothing: readers would have given up on its position by then.
 * Both ways events are written: an aggregate's command (an execution) and events of no aggregate (a log batch).
 */
class LateCommitTest {

    private static final Duration GAP_TIMEOUT = Duration.ofSeconds(6);
    private static final long HOLD_LOCK = 4343;
    private static final String CREATE = "{\"namespace\":\"company.team\",\"flowId\":\"late\",\"flowRevision\":1}";
    private static final String LOG_BATCH = "[{\"namespace\":\"company.team\",\"flowId\":\"late\",\"executionId\":\"e1\","
            + "\"attemptNumber\":0,\"level\":\"INFO\",\"timestamp\":\"2026-12-07T10:00:00Z\",\"message\":\"late\"}]";
    private static CommandSide commandSide;
    private static HttpJson http;

    @BeforeAll
    static void start() {
        commandSide = CommandSide.start("--osprey.event-store.gap-timeout=" + GAP_TIMEOUT.toSeconds() + "s");
        http = new HttpJson(commandSide.baseUrl());
        HeldEvents.atInsert(commandSide.database(), "late", HOLD_LOCK);
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    @Test
    void anExecutionWhoseCreationIsHeldPastHalfTheGapTimeoutBeforeItsCommitIsA503ThatWroteNothing() throws Exception {
        refusedWhenHeldThenWritten("/api/v1/late/executions", CREATE, 201);
    }

    @Test
    void aLogBatchHeldPastHalfTheGapTimeoutBeforeItsCommitIsA503ThatWroteNothing() throws Exception {
        refusedWhenHeldThenWritten("/api/v1/late/logs", LOG_BATCH, 200);
    }

    /** The write held on the lock past the limit is refused; the same write not held is then stored. */
    private static void refusedWhenHeldThenWritten(String path, String body, int written) throws Exception {
        long before = lateEvents();
        Reply refused;
        try (Connection holder = commandSide.database().connect(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + HOLD_LOCK + ")");
            CompletableFuture<Reply> reply = CompletableFuture.supplyAsync(() -> http.post(path, body));
            Duration pastTheLimit = GAP_TIMEOUT.dividedBy(2).plusMillis(500);
            await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT COUNT(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND wait_event = 'advisory'"
                    + " AND clock_timestamp() - query_start > INTERVAL '" + pastTheLimit.toMillis() + " milliseconds'") == 1);
            statement.execute("SELECT pg_advisory_unlock(" + HOLD_LOCK + ")");
            refused = reply.get(30, TimeUnit.SECONDS);
        }

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asText()).endsWith(":unavailable");
        assertThat(refused.json().get("detail").asText()).contains("rolled back, nothing was written");
        assertThat(lateEvents()).as("nothing of it stored").isEqualTo(before);

        Reply onTime = http.post(path, body);
        assertThat(onTime.status()).as(onTime.body()).isEqualTo(written);
        assertThat(lateEvents()).isGreaterThan(before);
    }

    private static long lateEvents() {
        return count("SELECT COUNT(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE '%\"tenant\":\"late\"%'");
    }

    private static long count(String sql) {
        return commandSide.database().count(sql);
    }
}
