package io.osprey.query.execution;

/** What {@code .../file/metas} tells of a file, in Kestra's shape. */
public record FileMetas(long size) {
}
