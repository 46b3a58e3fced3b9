package io.osprey.command.web;

import io.osprey.command.CommandSide;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Large bodies read whole share one memory budget: while a slow client holds most of it, another large body waits,
 * then is a 503 that reads and writes nothing; small bodies are not held up; room comes back when a request ends.
 */
class BodyMemoryBudgetTest {

    private static final String LOGS = "/api/v1/main/logs";
    private static final int BUDGET = 1024 * 1024;
    private static final int SLOW_BODY = 900_000;
    private static CommandSide commandSide;
    private static HttpJson http;
    private static int port;

    @BeforeAll
    static void start() {
        commandSide = CommandSide.start(
                "--osprey.command.limits.in-flight-body-bytes=" + BUDGET + "B",
                "--osprey.command.limits.in-flight-wait=300ms");
        port = commandSide.port();
        http = new HttpJson(commandSide.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    @Test
    void aLargeBodyWaitsForRoomThenIsRefusedWhileSmallOnesGoThrough() throws Exception {
        BodyMemoryBudget budget = commandSide.app().getBean(BodyMemoryBudget.class);
        String slowBody = ndjson("slow", SLOW_BODY);
        try (Socket slow = new Socket("127.0.0.1", port)) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST " + LOGS + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
                    + "Content-Length: " + SLOW_BODY + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] body = slowBody.getBytes(StandardCharsets.UTF_8);
            out.write(body, 0, 1000);
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> budget.freeBytes() < BUDGET - SLOW_BODY + 1024);

            Reply refused = http.post(LOGS, ndjson("refused", 200_000), "Content-Type", "application/x-ndjson");
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.json().get("type").asText()).isEqualTo("urn:osprey:problem:busy");
            assertThat(refused.json().get("detail").asText()).contains("in-flight-body-bytes");

            Reply small = http.post(LOGS, ndjson("small", 2_000), "Content-Type", "application/x-ndjson");
            assertThat(small.status()).as(small.body()).isEqualTo(200);

            out.write(body, 1000, body.length - 1000);
            out.flush();
            String reply = new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 200");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> budget.freeBytes() == BUDGET);

        Reply accepted = http.post(LOGS, ndjson("accepted", 200_000), "Content-Type", "application/x-ndjson");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    }

    /** NDJSON log lines of execution {@code executionId}, exactly {@code bytes} long (ASCII). */
    private static String ndjson(String executionId, int bytes) {
        StringBuilder lines = new StringBuilder();
        String head = "{\"namespace\":\"company.team\",\"flowId\":\"f\",\"executionId\":\"" + executionId
                + "\",\"level\":\"INFO\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"message\":\"";
        String tail = "\"}\n";
        int perLine = 60_000;
        while (lines.length() + perLine < bytes) {
            lines.append(head).append("x".repeat(perLine - head.length() - tail.length())).append(tail);
        }
        int last = bytes - lines.length() - head.length() - tail.length();
        lines.append(head).append("x".repeat(last)).append(tail);
        return lines.toString();
    }
}
