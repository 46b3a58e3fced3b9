package io.osprey.command.dispatch;

import io.osprey.command.CommandSide;
import io.osprey.command.CommandSideApplication;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Two command sides on one event store, with the commands on one execution going to each in turn. */
class TwoCommandSidesTest {

    private static CommandSide first;
    private static ConfigurableApplicationContext second;
    private static HttpJson firstHttp;
    private static HttpJson secondHttp;

    @BeforeAll
    static void start() {
        first = CommandSide.start();
        second = CommandSideApplication.builder().run(Stream.concat(Stream.of("--server.port=0"),
                Stream.of(first.database().springArgs())).toArray(String[]::new));
        firstHttp = new HttpJson(first.baseUrl());
        secondHttp = new HttpJson("http://127.0.0.1:" + ((WebServerApplicationContext) second).getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    /** Indexes of the global sequence that no event holds: each is a write that rolled back. */
    private static long gaps() throws SQLException {
        try (Connection connection = first.database().connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT max(global_index) - min(global_index) + 1 - count(*) FROM domain_event_entry")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void commandsTakingTurnsOnTwoNodesAreAppliedInOrderAndLoseAtMostOneRaceEach() throws SQLException {
        Reply created = firstHttp.post("/api/v1/main/executions",
                "{\"namespace\":\"company.team\",\"flowId\":\"turns\",\"flowRevision\":1}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String labels = "/api/v1/main/executions/" + created.json().get("id").asText() + "/labels";

        for (int turn = 1; turn <= 20; turn++) {
            HttpJson node = turn % 2 == 0 ? firstHttp : secondHttp;
            Reply labelled = node.post(labels, "[{\"key\":\"turn" + turn + "\",\"value\":\"v\"}]");
            assertThat(labelled.status()).as(labelled.body()).isEqualTo(200);
            assertThat(labelled.json().get("version").asLong()).isEqualTo(turn);
        }

        // each node learns from its first lost race that its copies may be stale, then checks before using one
        assertThat(gaps()).isLessThanOrEqualTo(2);
    }
}
