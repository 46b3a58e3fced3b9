package io.osprey.events.execution.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.osprey.events.execution.ExecutionCreated;
import io.osprey.events.execution.ExecutionOutputsRecorded;
import io.osprey.events.execution.ExecutionVariablesSet;
import io.osprey.events.execution.TaskRunOutputsRecorded;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * Revision 1 to 2 of an execution event that gained a {@code files} list: a stored revision 1 event pointed at
 * no blobs, so it reads as {@code "files": []}.
 */
public final class AddFilesUpcaster extends SingleEventUpcaster {

    private final SerializedType from;
    private final SerializedType to;

    public AddFilesUpcaster(Class<?> eventType) {
        this.from = new SimpleSerializedType(eventType.getName(), "1");
        this.to = new SimpleSerializedType(eventType.getName(), "2");
    }

    public static AddFilesUpcaster executionCreated() {
        return new AddFilesUpcaster(ExecutionCreated.class);
    }

    public static AddFilesUpcaster taskRunOutputsRecorded() {
        return new AddFilesUpcaster(TaskRunOutputsRecorded.class);
    }

    public static AddFilesUpcaster executionOutputsRecorded() {
        return new AddFilesUpcaster(ExecutionOutputsRecorded.class);
    }

    public static AddFilesUpcaster executionVariablesSet() {
        return new AddFilesUpcaster(ExecutionVariablesSet.class);
    }

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return from.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(to, JsonNode.class, payload -> {
            if (payload instanceof ObjectNode object && !object.has("files")) {
                object.putArray("files");
            }
            return payload;
        });
    }
}
