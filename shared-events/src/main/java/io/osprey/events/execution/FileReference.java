package io.osprey.events.execution;

/**
 * A file an execution carries, stored in the blob store before the event that names it: an input file, an
 * output file, or a value too large to stay inline (then {@code name} is the value's name and the blob holds
 * its JSON). In the event's value map the same name maps to {@code uri}, as Kestra shows a file input.
 *
 * @param name   the input, output or variable it belongs to
 * @param uri    its {@code osprey:///} URI
 * @param size   bytes
 * @param sha256 lower-case hex SHA-256 of those bytes
 */
public record FileReference(String name, String uri, long size, String sha256) {
}
