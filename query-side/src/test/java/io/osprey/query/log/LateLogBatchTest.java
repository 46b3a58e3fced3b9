package io.osprey.query.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.events.log.LogLevel;
import io.osprey.events.log.LogsDeleted;
import io.osprey.query.QuerySide;
import io.osprey.testsupport.HttpJson.Reply;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.osprey.query.log.LogLines.batch;
import static io.osprey.query.log.LogLines.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A log batch whose transaction commits after a deletion of a higher position (a slow commit, another command side):
 * the index applies them in position order, as a rebuild does, so the deletion takes the batch's lines. Applied as
 * they came, the lines stayed on the node that saw them and were gone after a rebuild.
 */
class LateLogBatchTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");
    private static QuerySide querySide;

    @BeforeAll
    static void start() {
        querySide = QuerySide.start();
    }

    @AfterAll
    static void stop() {
        if (querySide != null) {
            querySide.close();
        }
    }

    @Test
    void aDeletionWaitsForTheBatchOfALowerPositionThatCommitsAfterIt() throws Exception {
        // the indexer reads the store's head from the events it has just fetched, in the order they committed
        long before = querySide.publish(batch("main",
                List.of(line("ns", "other-exec", "t", LogLevel.INFO, AT, "indexed before"))));
        querySide.getAt("/api/v1/main/logs/other-exec", before);
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> slowBatch = CompletableFuture.runAsync(() -> querySide.bean(TransactionTemplate.class)
                .executeWithoutResult(status -> {
                    querySide.bean(EventStore.class).publish(GenericEventMessage.asEventMessage(batch("main",
                            List.of(line("ns", "late-exec", "t", LogLevel.INFO, AT, "written before the deletion")))));
                    inserted.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        assertThat(inserted.await(30, TimeUnit.SECONDS)).isTrue();
        long deletion = querySide.publish(new LogsDeleted("main", "late-exec", null, null, null, null, null, null, null,
                AT.plusSeconds(60)));

        LogIndexer indexer = querySide.bean(LogIndexer.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> indexer.deletionWaitedFor() == deletion);
        release.countDown();
        slowBatch.get(30, TimeUnit.SECONDS);
        long after = querySide.publish(batch("main",
                List.of(line("ns", "late-exec", "t", LogLevel.INFO, AT.plusSeconds(120), "written after the deletion"))));

        Reply lines = querySide.getAt("/api/v1/main/logs/late-exec", after);
        assertThat(lines.json().findValues("message")).extracting(JsonNode::asText)
                .containsExactly("written after the deletion");
    }
}
