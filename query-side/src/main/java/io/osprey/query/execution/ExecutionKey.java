package io.osprey.query.execution;

/** Which execution a row belongs to. */
record ExecutionKey(String tenant, String id) {
}
