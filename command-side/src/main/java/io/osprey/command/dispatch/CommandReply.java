package io.osprey.command.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body every command answers with after commit; {@code taskRunId} only for task-run creation.
 * Headers: {@code Osprey-Position} (global event position reached) and {@code ETag} (the new version).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandReply(String id, String taskRunId, long version, long position) {

    public static final String POSITION_HEADER = "Osprey-Position";
    /** One entity tag holding a version: {@code "3"}, weakened by a proxy as {@code W/"3"}, or bare {@code 3}. */
    private static final Pattern ETAG = Pattern.compile("(?:W/)?\"(0|[1-9]\\d{0,17})\"|(0|[1-9]\\d{0,17})");

    public static ResponseEntity<CommandReply> of(HttpStatus status, String id, String taskRunId, CommandReceipt receipt) {
        return ResponseEntity.status(status)
                .header(POSITION_HEADER, Long.toString(receipt.position()))
                .header(HttpHeaders.ETAG, "\"" + receipt.version() + "\"")
                .body(new CommandReply(id, taskRunId, receipt.version(), receipt.position()));
    }

    /**
     * The version named by an If-Match header ({@code "3"}, {@code 3} or {@code W/"3"}); null when absent or
     * {@code *} (any current version, RFC 9110). A list of tags is refused: a command expects one version.
     */
    public static Long expectedVersion(String ifMatch, io.osprey.events.validation.Violations v) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher matcher = ETAG.matcher(ifMatch.trim());
        if (!matcher.matches()) {
            v.add("If-Match", "version", "If-Match must be one entity tag holding the version, like \"3\", or *");
            return null;
        }
        return Long.parseLong(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
    }
}
