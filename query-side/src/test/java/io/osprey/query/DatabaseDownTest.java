package io.osprey.query;

import io.osprey.testsupport.HttpJson.Reply;
import io.osprey.testsupport.TcpProxy;
import io.osprey.testsupport.TestDatabase;
import io.osprey.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** While the database is unreachable a query is refused with 503 (not 500), and served again once it is back. */
class DatabaseDownTest {

    private static TcpProxy databaseLink;
    private static QuerySide querySide;

    @BeforeAll
    static void start() throws Exception {
        TestDatabase database = TestPostgres.createDatabase();
        URI target = URI.create(database.url().substring("jdbc:".length()));
        databaseLink = new TcpProxy(target.getHost(), target.getPort());
        String proxiedUrl = database.url().replace(target.getHost() + ":" + target.getPort(), "127.0.0.1:" + databaseLink.port());
        querySide = QuerySide.start(new String[]{
                "--spring.datasource.url=" + proxiedUrl,
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(),
                "--spring.datasource.hikari.connection-timeout=1000"}, database::close, new Class<?>[0]);
    }

    @AfterAll
    static void stop() throws Exception {
        if (querySide != null) {
            querySide.close();
        }
        if (databaseLink != null) {
            databaseLink.close();
        }
    }

    @Test
    void queriesAnswer503WhileTheDatabaseIsAway() {
        assertThat(querySide.http().get("/api/v1/main/executions/search").status()).isEqualTo(200);

        databaseLink.cut();
        try {
            for (String path : new String[]{"/api/v1/main/executions/search", "/api/v1/main/executions/abc", "/api/v1/projections"}) {
                Reply reply = querySide.http().get(path);
                assertThat(reply.status()).as(path + " " + reply.body()).isEqualTo(503);
                assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
                assertThat(reply.header("Retry-After")).isEqualTo("1");
            }
        } finally {
            databaseLink.restore();
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> querySide.http().get("/api/v1/main/executions/search").status() == 200);
    }
}
