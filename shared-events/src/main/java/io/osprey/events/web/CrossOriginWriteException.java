package io.osprey.events.web;

/** A write sent by a browser from a page of another origin (403); nothing was read or written. */
public class CrossOriginWriteException extends RuntimeException {

    public CrossOriginWriteException(String origin) {
        super("a write from a page of another origin (" + origin + ") is refused; send it without an Origin header "
                + "(from a server, not a browser) or from the origin it is sent to");
    }
}
