package io.osprey.command.dispatch;

/** What a committed command reports back: the aggregate's new version and the global position of its last event. */
public record CommandReceipt(String aggregateId, long version, long position) {
}
