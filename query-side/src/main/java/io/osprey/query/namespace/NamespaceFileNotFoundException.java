package io.osprey.query.namespace;

import io.osprey.query.projection.ReadModelMiss;

/** No such file, directory or revision in the namespace's read model. Maps to 404 naming the parameter. */
public class NamespaceFileNotFoundException extends RuntimeException implements ReadModelMiss {

    private final String field;

    public NamespaceFileNotFoundException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
