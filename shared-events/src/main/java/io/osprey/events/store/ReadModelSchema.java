package io.osprey.events.store;

/**
 * A set of Flyway migrations owned by one module (a read model, a side table), applied after the
 * event store's with its own history table. {@code location} may contain {@code {vendor}}, replaced by
 * {@code postgresql} or {@code h2}.
 */
public record ReadModelSchema(String name, String location) {
}
