package io.osprey.events.execution;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import io.osprey.events.ReferencesBlobs;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The execution's variables were replaced by {@code variables}. A variable stored as a blob (a value larger than
 * the inline threshold) appears in {@code variables} as its {@code osprey:///} URI and in {@code files} with its
 * size and checksum. Revision 2 added {@code files} (revision 1 events are upcast with none).
 */
@Revision("2")
public record ExecutionVariablesSet(String tenant, String executionId, Map<String, JsonNode> variables,
                                    List<FileReference> files, Instant at) implements ExecutionEvent, ReferencesBlobs {

    @JsonCreator
    public ExecutionVariablesSet {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** Variables that are all inline. */
    public ExecutionVariablesSet(String tenant, String executionId, Map<String, JsonNode> variables, Instant at) {
        this(tenant, executionId, variables, List.of(), at);
    }

    @Override
    public List<String> blobUris() {
        return files.stream().map(FileReference::uri).toList();
    }
}
