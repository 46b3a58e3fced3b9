package io.osprey.command.dispatch;

/** The client expected another version of the aggregate than the current one (If-Match). Maps to 412. */
public class StaleVersionException extends RuntimeException {

    private final long expected;
    private final long actual;

    public StaleVersionException(long expected, long actual) {
        super("expected version " + expected + " but the current version is " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
