package io.osprey.query.projection;

import io.osprey.events.validation.Violations;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Read-your-writes for query endpoints: a client that wrote at global position P asks for P, and the
 * query runs once the projection holds every event up to P (or the consistency timeout passes). The reply says which
 * position the data reflects at least ({@value #POSITION}) and whether P was reached ({@value #REACHED}).
 */
@Component
public class ConsistentReads {

    public static final String POSITION = "Osprey-Position";
    public static final String REACHED = "Osprey-Position-Reached";

    private final ProjectionPositions positions;
    private final Duration timeout;

    public ConsistentReads(ProjectionPositions positions, QueryProperties properties) {
        this.positions = positions;
        this.timeout = properties.consistencyTimeout();
    }

    /** Adds the rule of the {@code position} parameter to a request's violations. */
    public static void validatePosition(Violations violations, Long position) {
        if (position != null && position < 0) {
            violations.add("position", "min", "position must be at least 0, got " + position);
        }
    }

    /**
     * Runs the query after the projection covers the position (when one is asked for) and replies 200. A query that
     * finds nothing at a position the projection has not reached is a {@link PositionNotReachedException}, not a 404.
     */
    public <T> ResponseEntity<T> read(String processor, Long position, Supplier<T> query) {
        HttpHeaders headers = await(processor, position);
        T found;
        try {
            found = query.get();
        } catch (RuntimeException failure) {
            if (failure instanceof ReadModelMiss && position != null && "false".equals(headers.getFirst(REACHED))) {
                throw new PositionNotReachedException(processor, position, headers, failure);
            }
            throw failure;
        }
        return ResponseEntity.ok().headers(headers).body(found);
    }

    /**
     * Waits until the projection covers the position (when one is asked for), for a query the caller then runs and
     * writes out itself; the headers are the reply's.
     */
    public HttpHeaders await(String processor, Long position) {
        // read the progress before the query: the data returned reflects at least this position
        HttpHeaders headers = new HttpHeaders();
        if (position == null) {
            headers.set(POSITION, Long.toString(positions.recentProgress(processor).position()));
            return headers;
        }
        ProjectionPositions.Awaited awaited = positions.awaitPosition(processor, position, timeout);
        headers.set(POSITION, Long.toString(awaited.progress().position()));
        headers.set(REACHED, Boolean.toString(awaited.reached()));
        return headers;
    }
}
