package io.osprey.query.execution;

import java.io.UncheckedIOException;

/** This node could not hold a search page to send it (a full disk for its temporary file): a 503, nothing sent. */
public class PageSpoolException extends RuntimeException {

    PageSpoolException(Exception cause) {
        super("this node could not hold the page to send it: "
                + (cause instanceof UncheckedIOException unchecked ? unchecked.getCause() : cause).getMessage(), cause);
    }
}
