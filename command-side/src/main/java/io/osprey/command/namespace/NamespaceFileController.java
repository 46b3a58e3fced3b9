package io.osprey.command.namespace;

import io.osprey.command.dispatch.RequestMetadata;
import io.osprey.command.web.Uploads;
import io.osprey.events.namespace.NamespacePath;
import io.osprey.events.validation.Violations;
import io.osprey.events.web.ReadsQueryParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.InputStream;

/**
 * The namespace-file command API, in Kestra's shape: validates every parameter (400 naming the field and the
 * rule) before anything is read or written, then makes one change of the namespace's tree.
 */
@RestController
@RequestMapping(value = "/api/v1/{tenant}/namespaces/{namespace}/files", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Namespace files (commands)")
public class NamespaceFileController {

    static final String FILE_PART = "fileContent";
    private static final String PATH_DOC = "Path in the namespace, like /scripts/etl.py ('scripts/etl.py' and a "
            + "trailing '/' mean the same); no '.', '..' or empty segments, at most 1024 bytes";

    private final NamespaceFileWrites writes;
    private final Uploads uploads;

    public NamespaceFileController(NamespaceFileWrites writes, Uploads uploads) {
        this.writes = writes;
        this.uploads = uploads;
    }

    /** The multipart body of an upload, for the API description. */
    private record UploadForm(@Schema(type = "string", format = "binary", requiredMode = Schema.RequiredMode.REQUIRED)
                              String fileContent) {
    }

    @Operation(summary = "Upload a file: a new file or the next revision of one; missing directories above it are created",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = UploadForm.class))))
    @Parameter(name = "path", in = ParameterIn.QUERY, required = true, description = PATH_DOC)
    @ReadsQueryParameters("path")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<NamespaceFileReply> upload(@PathVariable String tenant, @PathVariable String namespace,
                                                     @Parameter(hidden = true) HttpServletRequest request,
                                                     RequestMetadata metadata) throws IOException {
        Violations v = new Violations();
        NamespaceFilesKey files = files(v, tenant, namespace);
        // the query string alone: asking for a request parameter would make the container read the body first
        NamespacePath path = belowRoot(v, "path", uploads.queryParameter(request, "path"));
        v.throwIfAny();
        MultipartFile file = uploads.filePart(request, FILE_PART);
        try (InputStream content = file.getInputStream()) {
            return NamespaceFileReply.written(path, writes.write(files, path, content, metadata));
        }
    }

    @Operation(summary = "Create a directory, and the missing directories above it (409 when it exists)")
    @PostMapping("/directory")
    public ResponseEntity<NamespaceFileReply> createDirectory(
            @PathVariable String tenant, @PathVariable String namespace,
            @Parameter(required = true, description = PATH_DOC) @RequestParam(required = false) String path,
            RequestMetadata metadata) {
        Violations v = new Violations();
        NamespaceFilesKey files = files(v, tenant, namespace);
        NamespacePath directory = belowRoot(v, "path", path);
        v.throwIfAny();
        return NamespaceFileReply.changed(HttpStatus.CREATED, directory, writes.createDirectory(files, directory, metadata));
    }

    @Operation(summary = "Move or rename a file or a directory with everything in it; files keep their revisions")
    @PutMapping
    public ResponseEntity<NamespaceFileReply> move(
            @PathVariable String tenant, @PathVariable String namespace,
            @Parameter(required = true, description = "The file or directory to move") @RequestParam(required = false) String from,
            @Parameter(required = true, description = "Its new path, which must not exist; missing directories above it are created")
            @RequestParam(required = false) String to,
            RequestMetadata metadata) {
        Violations v = new Violations();
        NamespaceFilesKey files = files(v, tenant, namespace);
        NamespacePath source = belowRoot(v, "from", from);
        NamespacePath target = belowRoot(v, "to", to);
        v.throwIfAny();
        return NamespaceFileReply.changed(HttpStatus.OK, target, writes.move(files, source, target, metadata));
    }

    @Operation(summary = "Delete a file with its revisions, or a directory with everything in it")
    @DeleteMapping
    public ResponseEntity<NamespaceFileReply> delete(
            @PathVariable String tenant, @PathVariable String namespace,
            @Parameter(required = true, description = PATH_DOC) @RequestParam(required = false) String path,
            RequestMetadata metadata) {
        Violations v = new Violations();
        NamespaceFilesKey files = files(v, tenant, namespace);
        NamespacePath target = belowRoot(v, "path", path);
        v.throwIfAny();
        return NamespaceFileReply.changed(HttpStatus.OK, target, writes.delete(files, target, metadata));
    }

    private static NamespaceFilesKey files(Violations v, String tenant, String namespace) {
        v.tenant("tenant", tenant);
        v.namespace("namespace", namespace);
        return new NamespaceFilesKey(tenant, namespace);
    }

    /** A path that names a file or directory: the root can be listed, never written, moved or deleted. */
    private static NamespacePath belowRoot(Violations v, String field, String raw) {
        NamespacePath path = NamespacePath.check(v, field, raw);
        if (path != null && path.isRoot()) {
            v.add(field, "not-root", field + " must name a file or directory below the root '/'");
            return null;
        }
        return path;
    }
}
