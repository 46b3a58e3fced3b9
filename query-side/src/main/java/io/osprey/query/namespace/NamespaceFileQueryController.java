package io.osprey.query.namespace;

import io.osprey.blob.BlobUri;
import io.osprey.events.namespace.NamespacePath;
import io.osprey.events.validation.Violations;
import io.osprey.query.blob.BlobDownloads;
import io.osprey.query.blob.BlobDownloads.DownloadableFile;
import io.osprey.query.projection.ConsistentReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.List;

/**
 * The namespace-file queries, in Kestra's shape. Each validates all its parameters first (400 naming every
 * broken rule), then reads the read model, after waiting for {@code position} when the client asks to read
 * its own writes; a download then streams the bytes from the blob store, or redirects to it (see {@link BlobDownloads}).
 */
@RestController
@RequestMapping("/api/v1/{tenant}/namespaces/{namespace}/files")
@Tag(name = "Namespace files (queries)")
public class NamespaceFileQueryController {

    private static final String PATH_DOC = "Path in the namespace, like /scripts/etl.py";
    private static final String POSITION_DOC = "Global event position the reply must reflect (read-your-writes); "
            + "the query waits for the projection up to osprey.query.consistency-timeout";

    private final NamespaceFileQueries queries;
    private final ConsistentReads reads;
    private final BlobDownloads downloads;

    public NamespaceFileQueryController(NamespaceFileQueries queries, ConsistentReads reads, BlobDownloads downloads) {
        this.queries = queries;
        this.reads = reads;
        this.downloads = downloads;
    }

    @GetMapping // the file's own type, whatever the Accept
    @Operation(summary = "Download a file", description = "The file's current bytes, or those of an earlier revision; "
            + "as an attachment, with its length; a single byte range (Range: bytes=...) is served as 206. With "
            + "osprey.blob.s3.direct-downloads enabled, a GET is answered 307 with a short-lived URL of the store.")
    public void download(
            @PathVariable String tenant, @PathVariable String namespace,
            @Parameter(required = true, description = PATH_DOC) @RequestParam(required = false) String path,
            @Parameter(description = "Revision to download, from 1 (default: the current one)")
            @RequestParam(required = false) Integer revision,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position,
            @Parameter(hidden = true) HttpServletRequest request,
            @Parameter(hidden = true) HttpServletResponse response) throws IOException {
        Violations v = new Violations();
        NamespacePath file = validate(v, tenant, namespace, path, position);
        if (revision != null && revision < 1) {
            v.add("revision", "min", "revision must be at least 1, got " + revision);
        }
        v.throwIfAny();
        ResponseEntity<DownloadableFile> read = reads.read(NamespaceFileProjection.PROCESSOR, position,
                () -> content(tenant, namespace, file, revision));
        downloads.send(request, read.getBody(), read.getHeaders(), response);
    }

    @GetMapping(value = "/directory", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List a directory",
            description = "The files and directories directly in it, by name; the root '/' always exists.")
    public ResponseEntity<List<FileAttributes>> directory(
            @PathVariable String tenant, @PathVariable String namespace,
            @Parameter(description = "Directory path (default: the root '/')") @RequestParam(required = false) String path,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position) {
        Violations v = new Violations();
        NamespacePath directory = validate(v, tenant, namespace, path == null || path.isEmpty() ? "/" : path, position);
        v.throwIfAny();
        return reads.read(NamespaceFileProjection.PROCESSOR, position, () -> {
            queries.find(tenant, namespace, directory).filter(NamespaceFileRow::directory)
                    .orElseThrow(() -> new NamespaceFileNotFoundException("path", "no directory " + directory + " in " + namespace));
            return queries.children(tenant, namespace, directory).stream().map(FileAttributes::of).toList();
        });
    }

    @GetMapping(value = "/stats", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Describe a file or a directory", description = "Its type, size, times and, for a file, its current revision.")
    public ResponseEntity<FileAttributes> stats(
            @PathVariable String tenant, @PathVariable String namespace,
            @Parameter(required = true, description = PATH_DOC) @RequestParam(required = false) String path,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position) {
        Violations v = new Violations();
        NamespacePath entry = validate(v, tenant, namespace, path, position);
        v.throwIfAny();
        return reads.read(NamespaceFileProjection.PROCESSOR, position, () -> queries.find(tenant, namespace, entry)
                .map(FileAttributes::of)
                .orElseThrow(() -> new NamespaceFileNotFoundException("path", "no file or directory " + entry + " in " + namespace)));
    }

    @GetMapping(value = "/revisions", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List a file's revisions", description = "Every revision still held, oldest first.")
    public ResponseEntity<List<RevisionView>> revisions(
            @PathVariable String tenant, @PathVariable String namespace,
            @Parameter(required = true, description = PATH_DOC) @RequestParam(required = false) String path,
            @Parameter(description = POSITION_DOC) @RequestParam(required = false) Long position) {
        Violations v = new Violations();
        NamespacePath file = validate(v, tenant, namespace, path, position);
        v.throwIfAny();
        return reads.read(NamespaceFileProjection.PROCESSOR, position, () -> {
            requireFile(tenant, namespace, file);
            return queries.revisions(tenant, namespace, file).stream().map(RevisionView::of).toList();
        });
    }

    private DownloadableFile content(String tenant, String namespace, NamespacePath path, Integer revision) {
        NamespaceFileRow file = requireFile(tenant, namespace, path);
        if (revision == null) {
            return new DownloadableFile(BlobUri.parse(file.uri()), file.size(), path.name(), file.sha256());
        }
        NamespaceFileRevision stored = queries.revision(tenant, namespace, path, revision)
                .orElseThrow(() -> new NamespaceFileNotFoundException("revision", path + " has no revision " + revision));
        return new DownloadableFile(BlobUri.parse(stored.uri()), stored.size(), path.name(), stored.sha256());
    }

    private NamespaceFileRow requireFile(String tenant, String namespace, NamespacePath path) {
        return queries.find(tenant, namespace, path).filter(row -> !row.directory())
                .orElseThrow(() -> new NamespaceFileNotFoundException("path", "no file " + path + " in " + namespace));
    }

    private static NamespacePath validate(Violations v, String tenant, String namespace, String path, Long position) {
        v.tenant("tenant", tenant);
        v.namespace("namespace", namespace);
        NamespacePath checked = NamespacePath.check(v, "path", path);
        ConsistentReads.validatePosition(v, position);
        return checked;
    }
}
