package io.osprey.command.namespace;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.osprey.command.dispatch.CommandReceipt;
import io.osprey.command.dispatch.CommandReply;
import io.osprey.command.namespace.NamespaceFileWrites.Written;
import io.osprey.events.namespace.NamespacePath;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * What a namespace-file command answers after commit: the path it changed and, for an upload, the revision
 * stored with its size and SHA-256; {@code version} is the namespace's. The headers are those of every
 * command: {@code Osprey-Position} and {@code ETag}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NamespaceFileReply(String path, Integer revision, Long size, String sha256, long version, long position) {

    static ResponseEntity<NamespaceFileReply> written(NamespacePath path, Written written) {
        return reply(HttpStatus.CREATED, new NamespaceFileReply(path.value(), written.revision(), written.blob().size(),
                written.blob().sha256(), written.receipt().version(), written.receipt().position()), written.receipt());
    }

    static ResponseEntity<NamespaceFileReply> changed(HttpStatus status, NamespacePath path, CommandReceipt receipt) {
        return reply(status, new NamespaceFileReply(path.value(), null, null, null, receipt.version(), receipt.position()),
                receipt);
    }

    private static ResponseEntity<NamespaceFileReply> reply(HttpStatus status, NamespaceFileReply body, CommandReceipt receipt) {
        return ResponseEntity.status(status)
                .header(CommandReply.POSITION_HEADER, Long.toString(receipt.position()))
                .header(HttpHeaders.ETAG, "\"" + receipt.version() + "\"")
                .body(body);
    }
}
