package io.osprey.events.validation;

/**
 * One broken rule of one input field: {@code field} is the JSON path or parameter name as the client
 * sent it, {@code rule} a stable machine-readable name, {@code message} the human explanation.
 */
public record FieldViolation(String field, String rule, String message) {
}
