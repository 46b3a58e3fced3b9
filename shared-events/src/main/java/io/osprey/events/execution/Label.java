package io.osprey.events.execution;

/** A Kestra label: a key/value pair attached to an execution. */
public record Label(String key, String value) {
}
