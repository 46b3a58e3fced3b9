package io.osprey.blob;

import java.net.URI;
import java.util.Objects;

/** A blob's address, {@code osprey:///{tenant}/{namespace}/...}: the only form events carry. */
public record BlobUri(URI value) {

    public static final String SCHEME = "osprey";

    public BlobUri {
        Objects.requireNonNull(value, "value");
        if (!SCHEME.equals(value.getScheme())) {
            throw new IllegalArgumentException("a blob URI must use the " + SCHEME + " scheme: " + value);
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
