package io.osprey.events.execution;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.events.ReferencesBlobs;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The execution's (flow) outputs were replaced by {@code outputs}. An output stored as a blob (a file, or a value
 * larger than the inline threshold) appears in {@code outputs} as its {@code osprey:///} URI and in {@code files}
 * with its size and checksum. Revision 2 added {@code files} (revision 1 events are upcast with none).
 */
@Revision("2")
public record ExecutionOutputsRecorded(String tenant, String executionId, Map<String, JsonNode> outputs,
                                       List<FileReference> files, Instant at) implements ExecutionEvent, ReferencesBlobs {

    @JsonCreator
    public ExecutionOutputsRecorded {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** Outputs that are all inline. */
    public ExecutionOutputsRecorded(String tenant, String executionId, Map<String, JsonNode> outputs, Instant at) {
        this(tenant, executionId, outputs, List.of(), at);
    }

    @Override
    public List<String> blobUris() {
        return files.stream().map(FileReference::uri).toList();
    }
}
