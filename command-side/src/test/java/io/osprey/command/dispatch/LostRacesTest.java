package io.osprey.command.dispatch;

import io.osprey.command.CommandSide;
import io.osprey.blob.BlobEntry;
import io.osprey.blob.BlobPrefix;
import io.osprey.blob.BlobStore;
import io.osprey.testsupport.HttpFiles;
import io.osprey.testsupport.HttpJson;
import io.osprey.testsupport.HttpJson.Reply;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command that loses the race for its aggregate (another node appended first: the event store refuses the append)
 * is retried when it named no version, and answered with a 503 that wrote nothing if it loses every time; one that
 * named a version is retried once, in case this node's cached state was the stale one.
 */
class LostRacesTest {

    /** How many of the next commands lose their race. */
    private static final AtomicInteger LOSSES = new AtomicInteger();
    private static CommandSide commandSide;
    private static HttpJson http;

    @BeforeAll
    static void start() {
        commandSide = CommandSide.start();
        http = new HttpJson(commandSide.baseUrl());
        commandSide.app().getBean(CommandBus.class).registerHandlerInterceptor((unitOfWork, chain) -> {
            if (LOSSES.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new ConcurrencyException("another node appended to " + unitOfWork.getMessage().getCommandName() + " first");
            }
            return chain.proceed();
        });
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    private static String create() {
        Reply created = http.post("/api/v1/main/executions", "{\"namespace\":\"company.team\",\"flowId\":\"races\",\"flowRevision\":1}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static Reply label(String id, String... headers) {
        return http.post("/api/v1/main/executions/" + id + "/labels", "[{\"key\":\"k\",\"value\":\"v\"}]", headers);
    }

    @Test
    void aCommandWithoutVersionIsRetriedUntilItWinsItsRace() {
        String id = create();

        LOSSES.set(7);
        Reply labelled = label(id);

        assertThat(labelled.status()).as(labelled.body()).isEqualTo(200);
        assertThat(labelled.json().get("version").asLong()).isEqualTo(1);
        assertThat(LOSSES.get()).isZero();
    }

    @Test
    void aCommandWithoutVersionThatLosesEveryRaceIs503AndWritesNothing() {
        String id = create();

        LOSSES.set(1000);
        Reply labelled = label(id);
        int attempts = 1000 - LOSSES.getAndSet(0);

        assertThat(labelled.status()).as(labelled.body()).isEqualTo(503);
        assertThat(labelled.header("Content-Type")).startsWith("application/problem+json");
        assertThat(labelled.json().get("rule").asText()).isEqualTo("contended");
        assertThat(labelled.json().get("detail").asText()).contains("nothing was written");
        assertThat(attempts).isEqualTo(10);
        assertThat(label(id).json().get("version").asLong()).isEqualTo(1); // the refused one took no version
    }

    @Test
    void anUploadThatLosesEveryRaceIs503AndLeavesNoBlob() {
        HttpFiles files = new HttpFiles(commandSide.baseUrl());
        String upload = "/api/v1/main/namespaces/company.races/files?path=/a.txt";
        assertThat(files.upload(upload, "one".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
        List<BlobEntry> before = blobs();

        LOSSES.set(1000);
        Reply refused = files.upload(upload, "two".getBytes(StandardCharsets.UTF_8));
        LOSSES.set(0);

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().get("rule").asText()).isEqualTo("contended");
        assertThat(blobs()).isEqualTo(before);
    }

    private static List<BlobEntry> blobs() {
        return commandSide.app().getBean(BlobStore.class).list(BlobPrefix.of("main"), null, 10_000).entries();
    }

    @Test
    void aCommandNamingItsVersionIsRetriedOnceThenIs412() {
        String id = create();

        LOSSES.set(1);
        assertThat(label(id, "If-Match", "\"0\"").status()).isEqualTo(200);
        LOSSES.set(2);
        Reply stale = label(id, "If-Match", "\"1\"");

        assertThat(stale.status()).as(stale.body()).isEqualTo(412);
        assertThat(stale.json().get("rule").asText()).isEqualTo("concurrent-modification");
        assertThat(LOSSES.get()).isZero();
    }
}
