package io.osprey.events.web;

/** A body in a content coding Osprey does not decode (gzip, br...): a 415 naming Content-Encoding, nothing read. */
public class UnsupportedContentEncodingException extends RuntimeException {

    public UnsupportedContentEncodingException(String encoding) {
        super("Content-Encoding " + encoding + " is not supported: send the body as it is (identity)");
    }
}
