package io.osprey.query.namespace;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One entry of a directory, in Kestra's shape: {@code type} is {@code File} or {@code Directory}, times are
 * epoch milliseconds; {@code revision} is a file's current one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileAttributes(String fileName, String type, long size, Long creationTime, Long lastModifiedTime,
                             Integer revision) {

    static FileAttributes of(NamespaceFileRow row) {
        return new FileAttributes(row.path().name(), row.directory() ? "Directory" : "File",
                row.directory() ? 0 : row.size(), millis(row.created()), millis(row.updated()), row.revision());
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
