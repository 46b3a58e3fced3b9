package io.osprey.command.log;

/** What a committed log deletion reports back: the global index of its {@code LogsDeleted} event. */
public record LogDeletionReply(long position) {
}
