package io.osprey.command.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.osprey.blob.BlobInfo;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.blob.BlobUri;
import io.osprey.blob.InvalidBlobKeyException;
import io.osprey.events.execution.FileReference;
import io.osprey.events.validation.Violations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The blobs of an execution's inputs, outputs and variables and of its task runs' outputs. A request's values
 * and files are first planned (every name and blob key checked, nothing written), then stored, and the command
 * carries only their URIs.
 * A value whose JSON is larger than {@link CommandLimits#inlineValueBytes()} goes to a blob as
 * {@code value.json}; a file goes under its own file name. Each request writes below a fresh random folder,
 * so a refused command's blobs can be removed without touching any blob an earlier event points at.
 */
@Component
public class ExecutionFiles {

    private static final Logger log = LoggerFactory.getLogger(ExecutionFiles.class);
    static final String VALUE_FILE = "value.json";

    private final BlobStore blobs;
    private final CommandLimits limits;
    private final ObjectMapper json;

    public ExecutionFiles(BlobStore blobs, CommandLimits limits, ObjectMapper json) {
        this.blobs = blobs;
        this.limits = limits;
        this.json = json;
    }

    /** Opens a file part's bytes; called once, when the file is stored. */
    public interface Content {
        InputStream open() throws IOException;
    }

    /** A file part of a request: the input or output it is, its file name, its bytes. */
    public record Upload(String name, String fileName, Content content) {
    }

    /** Where a request's blobs go: the blob of value or file {@code name} named {@code fileName}. */
    public interface Location {
        BlobUri of(String folder, String name, String fileName);
    }

    /** What will be written: the inline values, and one blob per large value or file. */
    public static final class Plan {
        private final Map<String, JsonNode> inline = new LinkedHashMap<>();
        private final List<Pending> pending = new ArrayList<>();
        /** The names as they were given: the stored values keep their order, inline or not. */
        private final List<String> order = new ArrayList<>();

        public boolean isEmpty() {
            return pending.isEmpty();
        }
    }

    private record Pending(String name, BlobUri uri, Content content) {
    }

    /** The values as the command carries them (blobs replaced by their URI) and the files they point at. */
    public record Stored(Map<String, JsonNode> values, List<FileReference> files) {
        public List<String> uris() {
            return files.stream().map(FileReference::uri).toList();
        }
    }

    /**
     * Checks and plans {@code values} and {@code uploads} of {@code field} ("inputs", "outputs", "variables");
     * every broken rule goes to {@code v}. {@code location} is null when the request's target is not valid (nothing
     * to plan).
     */
    public Plan plan(Violations v, String field, Map<String, JsonNode> values, List<Upload> uploads, Location location) {
        Plan plan = new Plan();
        String folder = UUID.randomUUID().toString();
        Map<String, JsonNode> values1 = values == null ? Map.of() : values;
        for (Upload upload : uploads) {
            if (values1.containsKey(upload.name())) {
                v.add(field + "." + upload.name(), "duplicate", field + "." + upload.name() + " is given both as a value and as a file");
            }
        }
        values1.forEach((name, value) -> {
            plan.order.add(name);
            byte[] bytes;
            try {
                bytes = json.writeValueAsBytes(value);
            } catch (JsonProcessingException e) {
                v.add(field + "." + name, "json", field + "." + name + " is not serializable JSON");
                return;
            }
            if (bytes.length <= limits.inlineValueBytes()) {
                plan.inline.put(name, value);
            } else {
                BlobUri uri = uri(v, field, name, VALUE_FILE, folder, location);
                if (uri != null) {
                    plan.pending.add(new Pending(name, uri, () -> new ByteArrayInputStream(bytes)));
                }
            }
        });
        for (Upload upload : uploads) {
            plan.order.add(upload.name());
            String fileName = upload.fileName() == null || upload.fileName().isBlank() ? upload.name() : upload.fileName();
            BlobUri uri = uri(v, field, upload.name(), fileName, folder, location);
            if (uri != null) {
                plan.pending.add(new Pending(upload.name(), uri, upload.content()));
            }
        }
        return plan;
    }

    /** The values that stay inline: their size is what the limit on a command's values applies to. */
    public Map<String, JsonNode> inline(Plan plan) {
        return plan.inline;
    }

    /** Writes the planned blobs; when one fails, those already written are removed again. */
    public Stored store(Plan plan) {
        Map<String, JsonNode> stored = new LinkedHashMap<>(plan.inline);
        List<FileReference> files = new ArrayList<>();
        try {
            for (Pending pending : plan.pending) {
                BlobInfo blob;
                try (InputStream content = pending.content().open()) {
                    blob = blobs.put(pending.uri(), content);
                }
                String uri = blob.uri().toString();
                files.add(new FileReference(pending.name(), uri, blob.size(), blob.sha256()));
                stored.put(pending.name(), TextNode.valueOf(uri));
            }
        } catch (IOException | RuntimeException e) {
            discard(files.stream().map(FileReference::uri).toList());
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        plan.order.forEach(name -> values.put(name, stored.get(name)));
        return new Stored(values, List.copyOf(files));
    }

    /** Removes the blobs of a refused command; one that cannot be removed now stays for the sweeper. */
    public void discard(List<String> uris) {
        for (String uri : uris) {
            try {
                blobs.delete(BlobUri.parse(uri));
            } catch (BlobStoreUnavailableException e) {
                log.warn("the blob of a refused command, {}, stays until swept: {}", uri, e.getMessage());
            }
        }
    }

    private static BlobUri uri(Violations v, String field, String name, String fileName, String folder, Location location) {
        if (location == null) {
            return null;
        }
        try {
            return location.of(folder, name, fileName);
        } catch (InvalidBlobKeyException e) {
            v.add(field + "." + name, "file-name", field + "." + name + " cannot be stored under that name: " + e.getMessage());
            return null;
        }
    }
}
