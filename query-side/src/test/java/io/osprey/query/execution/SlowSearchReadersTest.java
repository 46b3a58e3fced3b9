package io.osprey.query.execution;

import io.osprey.events.execution.ExecutionCreated;
import io.osprey.query.QuerySide;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.osprey.query.execution.ExecutionEvents.T0;
import static io.osprey.query.execution.ExecutionEvents.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that ask for a large search page and stop reading hold no database connection: the page is read at the
 * database's pace and sent from memory or a temporary file, so a node's other queries and its projections go on. Here
 * more such clients than the pool has connections.
 */
class SlowSearchReadersTest {

    private static final int POOL = 3;
    /** 40 executions of 200 KB of inputs: a page of 8 MB, more than the sockets on both ends buffer. */
    private static final int EXECUTIONS = 40;
    private static QuerySide querySide;

    @BeforeAll
    static void start() {
        querySide = QuerySide.start("--spring.datasource.hikari.maximum-pool-size=" + POOL);
        String big = "x".repeat(200_000);
        for (int i = 0; i < EXECUTIONS; i++) {
            String id = "big-" + i;
            querySide.append("slow", id, new ExecutionCreated("slow", id, "company.team",
                    "hello", 1, List.of(), values("data", big), null, null, T0.plusSeconds(i)));
        }
        querySide.append("main", "small", ExecutionEvents.created("main", "small", "company.team", "hello", T0));
        querySide.awaitProjected();
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void clientsThatStopReadingALargePageLeaveTheConnectionsToOtherQueriesAndTheProjections() throws IOException {
        int port = Integer.parseInt(querySide.bean(Environment.class).getProperty("local.server.port"));
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < POOL + 1; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                stalled.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /api/v1/slow/executions/search?size=" + EXECUTIONS + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // the reply has begun; from here on this client reads nothing more
                assertThat(statusLine(socket.getInputStream())).isEqualTo("HTTP/1.1 200 ");
            }

            Reply other = querySide.http().get("/api/v1/main/executions/search");
            assertThat(other.status()).as(other.body()).isEqualTo(200);
            assertThat(other.json().get("total").asLong()).isEqualTo(1);

            long position = querySide.append("main", "later", ExecutionEvents.created("main", "later", "company.team",
                    "hello", T0));
            assertThat(querySide.getAt("/api/v1/main/executions/later", position).json().get("id").asText())
                    .isEqualTo("later");
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\r' && line.length() < 13; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }
}
