package io.osprey.events;

import java.util.List;

/** Metadata keys every event carries: who caused it, which request, which conversation. */
public final class EventMetadata {

    public static final String PRINCIPAL = "principal";
    public static final String CORRELATION_ID = "correlationId";
    public static final String REQUEST_ID = "requestId";

    /** The keys copied from a command onto the events it causes. */
    public static final List<String> PROPAGATED = List.of(PRINCIPAL, CORRELATION_ID, REQUEST_ID);

    private EventMetadata() {
    }
}
