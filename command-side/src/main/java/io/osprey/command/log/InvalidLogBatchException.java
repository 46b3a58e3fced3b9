package io.osprey.command.log;

import io.osprey.events.validation.FieldViolation;
import io.osprey.events.validation.InvalidInputException;

import java.util.List;

/**
 * A log batch broke one or more rules: the whole batch is refused and nothing is written. Maps to a 400 problem
 * whose {@code line} names the first bad line and whose {@code errors} name every violation (up to a cap).
 */
public class InvalidLogBatchException extends InvalidInputException {

    private final List<LineViolation> lineViolations;
    private final boolean truncated;

    public InvalidLogBatchException(List<LineViolation> violations, boolean truncated) {
        super(violations.stream().map(v -> new FieldViolation(v.field(), v.rule(), v.message())).toList());
        this.lineViolations = List.copyOf(violations);
        this.truncated = truncated;
    }

    public List<LineViolation> lineViolations() {
        return lineViolations;
    }

    /** True when reading stopped at the cap of reported violations: later lines were not checked. */
    public boolean truncated() {
        return truncated;
    }
}
