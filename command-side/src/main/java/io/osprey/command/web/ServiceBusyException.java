package io.osprey.command.web;

/** The node cannot take the request now; the client should retry (503). Nothing was written. */
public class ServiceBusyException extends RuntimeException {

    public ServiceBusyException(String message) {
        super(message);
    }
}
