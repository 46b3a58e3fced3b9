package io.osprey.command.dispatch;

/**
 * A command aimed at one aggregate, optionally guarded by the version the client last saw.
 * {@code expectedVersion} is null when the client did not send If-Match.
 */
public interface VersionedCommand {

    String aggregateId();

    Long expectedVersion();

    /** Throws when the client's expected version is not the aggregate's current one. */
    static void checkVersion(Long expectedVersion, long currentVersion) {
        if (expectedVersion != null && expectedVersion != currentVersion) {
            throw new StaleVersionException(expectedVersion, currentVersion);
        }
    }
}
