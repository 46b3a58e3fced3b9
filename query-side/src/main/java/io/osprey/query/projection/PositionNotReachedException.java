package io.osprey.query.projection;

import org.springframework.http.HttpHeaders;

/**
 * A read at a position found nothing, and the read model had not reached that position within the consistency
 * timeout: what the client wrote may not be projected yet. Maps to a 503 (retry), with the position headers.
 */
public class PositionNotReachedException extends RuntimeException {

    private final HttpHeaders headers;

    PositionNotReachedException(String processor, long position, HttpHeaders headers, RuntimeException miss) {
        super("the " + processor + " read model has not reached position " + position + " yet (it is at "
                + headers.getFirst(ConsistentReads.POSITION) + "), and does not hold this so far; retry", miss);
        this.headers = headers;
    }

    public HttpHeaders headers() {
        return headers;
    }
}
