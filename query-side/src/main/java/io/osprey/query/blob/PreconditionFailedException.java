package io.osprey.query.blob;

/** A download whose {@code If-Match} names none of the file's tags: the file changed since the client saw it (412). */
public class PreconditionFailedException extends RuntimeException {

    public PreconditionFailedException(String tag) {
        super("If-Match names none of the file's entity tags; it is now " + tag);
    }
}
