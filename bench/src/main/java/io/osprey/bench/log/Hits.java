package io.osprey.bench.log;

import java.time.Instant;
import java.util.List;

/**
 * What one query returned, and how long it took: from sending it to having read the whole reply (the HTTP body, or
 * every column of every row). {@code timestamps} are the returned lines' in their order (empty where the query does
 * not select them); {@code returned} the number of lines returned; {@code total} the total the store reported
 * (-1 where it reports none).
 */
record Hits(long nanos, List<Instant> timestamps, int returned, long total) {
}
