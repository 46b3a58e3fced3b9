package io.osprey.command.dispatch;

import io.osprey.events.EventMetadata;
import org.axonframework.messaging.MetaData;

import java.util.Map;

/** Who sent a command and as part of which request and conversation; copied onto every event it causes. */
public record RequestMetadata(String principal, String requestId, String correlationId) {

    public MetaData toMetaData() {
        return MetaData.from(Map.of(
                EventMetadata.PRINCIPAL, principal,
                EventMetadata.REQUEST_ID, requestId,
                EventMetadata.CORRELATION_ID, correlationId));
    }
}
