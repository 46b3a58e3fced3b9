package io.osprey.events.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The query parameters a handler reads from the query string itself rather than as {@code @RequestParam}s (which,
 * on a multipart request, would make the container read the whole body first); a write is refused any other.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ReadsQueryParameters {
    String[] value();
}
