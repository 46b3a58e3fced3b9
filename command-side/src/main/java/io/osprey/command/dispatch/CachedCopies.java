package io.osprey.command.dispatch;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * This node's cached copies of aggregates, once other command sides are seen to write the same ones. A copy another
 * node has written past fails its command's append on the event store's unique key, which is then retried on a fresh
 * load: correct, but each time a rolled-back write, a gap in the global index, and a second round trip; with commands
 * on one execution spread over two nodes, nearly every command. So after this node has lost such a race, for a while,
 * a command on an aggregate this node last wrote first asks the store for its last sequence number and drops a copy
 * that is behind it. A node that never loses a race (the only command side) never asks.
 */
@Component
class CachedCopies {

    private static final Logger log = LoggerFactory.getLogger(CachedCopies.class);
    private static final long OTHER_WRITERS_NANOS = Duration.ofMinutes(10).toNanos();
    private static final int REMEMBERED = 10_000;

    private final EventStore eventStore;
    private final List<Cache> caches;
    /** The version of each aggregate this node wrote last, the most recently written first to stay. */
    private final Map<String, Long> written = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED;
        }
    };
    private volatile boolean lostARace;
    private volatile long lostARaceAt;

    CachedCopies(EventStore eventStore, List<Cache> caches) {
        this.eventStore = eventStore;
        this.caches = caches;
    }

    /** This node committed the aggregate at {@code version}: a copy of that version is in its cache. */
    void written(String aggregateId, long version) {
        synchronized (written) {
            written.put(aggregateId, version);
        }
    }

    /** Another node appended to an aggregate first: other command sides write the same aggregates. */
    void lostARace() {
        long now = System.nanoTime();
        if (!checking(now)) {
            log.info("another command side wrote an aggregate this node held in memory: for the next {} min, a command "
                    + "on an aggregate this node wrote checks the event store for a later version first",
                    TimeUnit.NANOSECONDS.toMinutes(OTHER_WRITERS_NANOS));
        }
        lostARaceAt = now;
        lostARace = true;
    }

    private boolean checking(long now) {
        return lostARace && now - lostARaceAt <= OTHER_WRITERS_NANOS;
    }

    /** Before a command on the aggregate: drops this node's copy when the store holds a later version. */
    void dropIfStale(String aggregateId) {
        if (!checking(System.nanoTime())) {
            return;
        }
        Long mine;
        synchronized (written) {
            mine = written.get(aggregateId);
        }
        if (mine != null && eventStore.lastSequenceNumberFor(aggregateId).orElse(-1L) > mine) {
            caches.forEach(cache -> cache.remove(aggregateId));
            synchronized (written) {
                written.remove(aggregateId);
            }
        }
    }
}
