package io.osprey.query.log;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class GapWatermarkTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    /** How long ago the event after each gap was stored, as the event store would say; none: just now. */
    private final Map<Long, Duration> storedAgo = new HashMap<>();
    private final GapWatermark watermark = new GapWatermark(Duration.ofSeconds(60), now::get,
            gap -> storedAgo.getOrDefault(gap, Duration.ZERO), GapWatermark.RollbackCheck.NONE);

    private static GapAwareTrackingToken token(long index, Long... gaps) {
        return GapAwareTrackingToken.newInstance(index, List.of(gaps));
    }

    @Test
    void aTokenWithoutGapsIsItsOwnWatermark() {
        assertThat(watermark.of(token(10))).isEqualTo(10);
        assertThat(watermark.of(new GlobalSequenceTrackingToken(7))).isEqualTo(7);
        assertThat(watermark.of(null)).isEqualTo(-1);
    }

    @Test
    void aFreshGapHoldsTheWatermarkBelowItUntilTheGapTimeout() {
        assertThat(watermark.of(token(10, 4L, 8L))).isEqualTo(3);
        now.addAndGet(59 * SECOND);
        assertThat(watermark.of(token(12, 4L, 8L))).isEqualTo(3);

        now.addAndGet(SECOND);

        assertThat(watermark.of(token(12, 4L, 8L))).as("both gaps count as rolled back now").isEqualTo(12);
    }

    @Test
    void eachGapIsTimedFromWhenItWasFirstSeen() {
        assertThat(watermark.of(token(10, 4L))).isEqualTo(3);
        now.addAndGet(30 * SECOND);
        assertThat(watermark.of(token(20, 4L, 15L))).isEqualTo(3);
        now.addAndGet(30 * SECOND);

        assertThat(watermark.of(token(20, 4L, 15L))).isEqualTo(14);
        now.addAndGet(30 * SECOND);
        assertThat(watermark.of(token(20, 4L, 15L))).isEqualTo(20);
    }

    @Test
    void aGapLeftLongAgoHoldsNothingBackAfterAStart() {
        storedAgo.put(4L, Duration.ofMinutes(10)); // an embedded database's crash skipped index 4 ten minutes ago
        storedAgo.put(8L, Duration.ofSeconds(50));

        assertThat(watermark.of(token(10, 4L, 8L))).isEqualTo(7);
        now.addAndGet(10 * SECOND);
        assertThat(watermark.of(token(10, 4L, 8L))).isEqualTo(10);
    }

    /** A database that can tell: it marks each gap with its time, and says rolled back for the gaps in {@code over}. */
    private final class Database implements GapWatermark.RollbackCheck {
        final Set<Long> over = new HashSet<>();
        final List<Long> asked = new ArrayList<>();

        @Override
        public Instant mark() {
            return Instant.ofEpochSecond(now.get() / SECOND);
        }

        @Override
        public Set<Long> rolledBack(Map<Long, Instant> marks) {
            asked.addAll(new TreeSet<>(marks.keySet()));
            Set<Long> rolledBack = new HashSet<>(marks.keySet());
            rolledBack.retainAll(over);
            return rolledBack;
        }
    }

    @Test
    void aGapTheDatabaseSaysRolledBackHoldsNothingBack() {
        Database database = new Database();
        GapWatermark told = new GapWatermark(Duration.ofSeconds(60), now::get, gap -> Duration.ZERO, database);
        database.over.add(4L);

        assertThat(told.of(token(10, 4L, 8L))).as("4 is over, 8 may still come").isEqualTo(7);
        now.addAndGet(GapWatermark.RECHECK.toNanos() - 1);
        assertThat(told.of(token(10, 4L, 8L))).isEqualTo(7);
        assertThat(database.asked).as("both in one question, asked again only after the recheck interval")
                .containsExactly(4L, 8L);

        database.over.add(8L);
        now.addAndGet(1);

        assertThat(told.of(token(10, 4L, 8L))).isEqualTo(10);
        assertThat(database.asked).as("only the gap still pending").containsExactly(4L, 8L, 8L);
    }

    @Test
    void aGapTheDatabaseCannotTellAboutWaitsForTheGapTimeout() {
        Database database = new Database();
        GapWatermark told = new GapWatermark(Duration.ofSeconds(60), now::get, gap -> Duration.ZERO, database);

        assertThat(told.of(token(10, 4L))).isEqualTo(3);
        now.addAndGet(59 * SECOND);
        assertThat(told.of(token(10, 4L))).isEqualTo(3);
        now.addAndGet(SECOND);

        assertThat(told.of(token(10, 4L))).isEqualTo(10);
    }

    @Test
    void aGapFilledAndThenSeenAgainStartsAfresh() {
        assertThat(watermark.of(token(10, 4L))).isEqualTo(3);
        now.addAndGet(30 * SECOND);
        assertThat(watermark.of(token(10))).isEqualTo(10);
        now.addAndGet(40 * SECOND);

        assertThat(watermark.of(token(10, 4L))).as("a token of another segment or a reset").isEqualTo(3);
    }
}
