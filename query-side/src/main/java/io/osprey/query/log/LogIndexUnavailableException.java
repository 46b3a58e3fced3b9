package io.osprey.query.log;

/**
 * The log index is being opened again after its indexer failed (its partitions closed, what was not committed given
 * up): a search now would find nothing rather than what there is. Maps to a 503.
 */
public final class LogIndexUnavailableException extends RuntimeException {

    LogIndexUnavailableException() {
        super("the log index is reopening after a failure; retry");
    }
}
