package io.osprey.query.blob;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Whether the blob references read model holds every event committed up to a global index. Stricter than
 * {@code ProjectionPositions}' {@code covers}, which looks at that one index: here a gap the processor has
 * skipped below it counts too when the event store now holds an event there (a transaction that committed
 * late), since that event may point at a blob. Gaps with no event (rolled back, or still in flight) do not
 * block: an in-flight event commits after the sweep started, and the grace period protects its blob.
 * Reads Axon's token table, read-only, like {@code ProjectionPositions}.
 */
@Component
class BlobReferenceCatchUp {

    private static final int GAP_CHUNK = 500;

    private final JdbcTemplate jdbc;
    private final Serializer tokenSerializer;

    BlobReferenceCatchUp(JdbcTemplate jdbc, Serializer tokenSerializer) {
        this.jdbc = jdbc;
        this.tokenSerializer = tokenSerializer;
    }

    /** Empty when the read model covers every committed event up to {@code head}; otherwise why not. */
    Optional<String> lagBehind(long head) {
        List<TrackingToken> tokens = jdbc.query(
                "SELECT token, token_type FROM token_entry WHERE processor_name = ? ORDER BY segment",
                (row, i) -> {
                    byte[] token = row.getBytes("token");
                    String type = row.getString("token_type");
                    return token == null || type == null ? null : WrappedToken.unwrapLowerBound(
                            tokenSerializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null)));
                },
                BlobReferenceProjection.PROCESSOR);
        if (head < 0) {
            return Optional.empty(); // an empty event store references nothing, and nothing can be pending
        }
        if (tokens.isEmpty()) {
            return Optional.of("the " + BlobReferenceProjection.PROCESSOR + " processor has not started");
        }
        for (TrackingToken token : tokens) {
            long position = token == null ? -1 : token.position().orElse(-1);
            if (position < head) {
                return Optional.of("the " + BlobReferenceProjection.PROCESSOR + " processor is at " + position
                        + ", behind the event store head " + head);
            }
            if (token instanceof GapAwareTrackingToken gapAware) {
                long pending = committedAmong(gapAware.getGaps().stream().filter(gap -> gap <= head).toList());
                if (pending > 0) {
                    return Optional.of("the " + BlobReferenceProjection.PROCESSOR + " processor has yet to read "
                            + pending + " event(s) committed at positions it skipped");
                }
            }
        }
        return Optional.empty();
    }

    private long committedAmong(List<Long> gaps) {
        long committed = 0;
        List<Long> all = new ArrayList<>(gaps);
        for (int from = 0; from < all.size(); from += GAP_CHUNK) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + GAP_CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            Long count = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE global_index IN (" + marks + ")",
                    Long.class, chunk.toArray());
            committed += count == null ? 0 : count;
        }
        return committed;
    }
}
