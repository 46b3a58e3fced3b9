package io.osprey.events;

/** Kestra's default tenant. */
public final class Tenants {

    public static final String DEFAULT = "main";

    private Tenants() {
    }
}
