package io.osprey.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.testsupport.HttpJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the embedded default acknowledged survives a crash: the standalone server is killed (SIGKILL) while clients
 * create executions, started again on the same data directory, and every execution it answered 201 for is there.
 */
class StandaloneCrashTest extends StandaloneProcessTest {

    private static final int CLIENTS = 4;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyAcknowledgedExecutionSurvivesAKill() throws Exception {
        String data = "--osprey.data-dir=" + dir.resolve("data");
        server = StandaloneProcess.start(dir, List.of("-Xmx256m"), data);
        HttpJson http = new HttpJson(server.baseUrl());
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int client = 0; client < CLIENTS; client++) {
            int number = client;
            clients.submit(() -> {
                for (int i = 0; writing.get(); i++) {
                    String id = "crash" + number + "x" + i;
                    try {
                        if (http.post("/api/v1/main/executions", "{\"id\":\"" + id
                                + "\",\"namespace\":\"company.team\",\"flowId\":\"crash\",\"flowRevision\":1}").status() == 201) {
                            acknowledged.add(id);
                        }
                    } catch (RuntimeException killed) {
                        return; // the server is gone
                    }
                }
            });
        }
        // writes keep coming until the kill, so the last ones are always fresh
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 300);
        server.kill();
        writing.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        server = StandaloneProcess.start(dir, List.of("-Xmx256m"), data);
        HttpJson restarted = new HttpJson(server.baseUrl());
        await().atMost(Duration.ofSeconds(60)).until(() -> caughtUp(restarted.get("/api/v1/projections").json()));
        List<String> lost = new ArrayList<>();
        for (String id : acknowledged) {
            if (restarted.get("/api/v1/main/executions/" + id).status() != 200) {
                lost.add(id);
            }
        }
        assertThat(lost).as("acknowledged before the kill (%d in all), missing after the restart", acknowledged.size()).isEmpty();
    }

    private static boolean caughtUp(JsonNode projections) {
        for (JsonNode processor : projections.get("processors")) {
            if (processor.get("lag").asLong() != 0) {
                return false;
            }
        }
        return true;
    }
}
