package io.osprey.command.log;

import io.osprey.command.dispatch.RequestMetadata;
import io.osprey.command.execution.ConflictException;
import io.osprey.events.log.LogBatchAppended;
import io.osprey.events.log.LogBatchCodec;
import io.osprey.events.log.LogLine;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stores a checked batch of log lines: cuts it into slices of at most {@code lines-per-event} lines (and
 * {@link LogBatchCodec#MAX_SLICE_CHARS} characters), encodes
 * each as one {@link LogBatchAppended}, and appends them all in one transaction (with the batch's
 * {@code Idempotency-Key}, when it has one). Replies after commit.
 */
@Component
public class LogIngest {

    /** Rounds of "the key was taken meanwhile" before giving up; a second round already finds the reply. */
    private static final int CLAIM_ROUNDS = 3;

    private final LogEvents events;
    private final IdempotencyKeys keys;
    private final LogIngestLimits limits;

    public LogIngest(LogEvents events, IdempotencyKeys keys, LogIngestLimits limits) {
        this.events = events;
        this.keys = keys;
        this.limits = limits;
    }

    /** The reply, and whether it is the replay of an earlier request with the same key. */
    public record Outcome(LogIngestReply reply, boolean replayed) {
    }

    /**
     * @param idempotencyKey null when the request has none; else {@code batch.sha256()} must be set
     * @throws IdempotencyKeyReusedException the key was used for another body within the window (422)
     * @throws ConflictException              the key stayed taken by a request that has not committed (409)
     */
    public Outcome ingest(String tenant, LogLineReader.Batch batch, String idempotencyKey, RequestMetadata metadata) {
        if (idempotencyKey != null) {
            Optional<Outcome> earlier = replay(tenant, idempotencyKey, batch.sha256());
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        String batchId = UUID.randomUUID().toString();
        List<EventMessage<LogBatchAppended>> slices = slices(tenant, batchId, batch.lines(), metadata.toMetaData());
        for (int round = 1; ; round++) {
            try {
                return new Outcome(append(tenant, batchId, batch, slices, idempotencyKey), false);
            } catch (IdempotencyKeys.KeyTaken taken) {
                Optional<Outcome> earlier = replay(tenant, idempotencyKey, batch.sha256());
                if (earlier.isPresent()) {
                    return earlier.get();
                }
                if (round == CLAIM_ROUNDS) {
                    throw new ConflictException("Idempotency-Key", "idempotency-key-in-use",
                            "another request with this Idempotency-Key is still being stored; retry later");
                }
            }
        }
    }

    private Optional<Outcome> replay(String tenant, String key, String sha256) {
        return keys.find(tenant, key).map(stored -> {
            if (!stored.sha256().equals(sha256)) {
                throw new IdempotencyKeyReusedException();
            }
            return new Outcome(stored.reply(), true);
        });
    }

    private LogIngestReply append(String tenant, String batchId, LogLineReader.Batch batch,
                                  List<EventMessage<LogBatchAppended>> slices, String key) {
        LogIngestReply pending = new LogIngestReply(batchId, batch.lines().size(), slices.size(), -1);
        return events.publish(slices, () -> {
            if (key != null) {
                keys.claim(tenant, key, batch.sha256(), pending);
            }
        }, position -> {
            if (key != null) {
                keys.complete(tenant, key, position);
            }
            return new LogIngestReply(batchId, pending.lines(), pending.events(), position);
        });
    }

    /**
     * The batch as events of at most {@code lines-per-event} lines and {@link LogBatchCodec#MAX_SLICE_CHARS} characters
     * each, encoded before any transaction starts.
     */
    List<EventMessage<LogBatchAppended>> slices(String tenant, String batchId, List<LogLine> lines, MetaData metaData) {
        int per = limits.linesPerEvent();
        List<EventMessage<LogBatchAppended>> slices = new ArrayList<>();
        int first = 0;
        while (first < lines.size()) {
            int end = first;
            long chars = 0;
            do {
                chars += lines.get(end++).textLength();
            } while (end < lines.size() && end - first < per
                    && chars + lines.get(end).textLength() <= LogBatchCodec.MAX_SLICE_CHARS);
            List<LogLine> part = lines.subList(first, end);
            slices.add(new GenericEventMessage<>(new LogBatchAppended(tenant, batchId, slices.size(), part.size(), first,
                    earliest(part), latest(part), LogBatchCodec.encode(part)), metaData));
            first = end;
        }
        return slices;
    }

    private static Instant earliest(List<LogLine> lines) {
        Instant min = lines.get(0).timestamp();
        for (LogLine line : lines) {
            min = line.timestamp().isBefore(min) ? line.timestamp() : min;
        }
        return min;
    }

    private static Instant latest(List<LogLine> lines) {
        Instant max = lines.get(0).timestamp();
        for (LogLine line : lines) {
            max = line.timestamp().isAfter(max) ? line.timestamp() : max;
        }
        return max;
    }
}
