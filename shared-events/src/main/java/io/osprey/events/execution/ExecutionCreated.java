package io.osprey.events.execution;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.events.ReferencesBlobs;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An execution of a flow revision was created, in state CREATED. An input stored as a blob (a file, or a value
 * larger than the inline threshold) appears in {@code inputs} as its {@code osprey:///} URI and in {@code files}
 * with its size and checksum. Revision 2 added {@code files} (revision 1 events are upcast with none).
 */
@Revision("2")
public record ExecutionCreated(String tenant, String executionId, String namespace, String flowId, int flowRevision,
        List<Label> labels, Map<String, JsonNode> inputs, String parentExecutionId, TriggerReference trigger,
        List<FileReference> files, Instant at) implements ExecutionEvent, ReferencesBlobs {

    @JsonCreator
    public ExecutionCreated {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** An execution created with every input inline. */
    public ExecutionCreated(String tenant, String executionId, String namespace, String flowId, int flowRevision,
                            List<Label> labels, Map<String, JsonNode> inputs, String parentExecutionId,
                            TriggerReference trigger, Instant at) {
        this(tenant, executionId, namespace, flowId, flowRevision, labels, inputs, parentExecutionId, trigger, List.of(), at);
    }

    @Override
    public List<String> blobUris() {
        return files.stream().map(FileReference::uri).toList();
    }
}
