package io.osprey.query.execution;

import io.osprey.events.execution.State;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A state as Kestra shows it: the current state, the history that led there, when it started, when it
 * ended (terminal states only) and how long it has lasted (until now while it runs).
 */
public record StateView(State current, List<StateEntry> histories, Instant startDate, Instant endDate,
                        @Schema(description = "ISO-8601 duration", example = "PT1.5S") String duration) {

    static StateView of(State current, List<StateEntry> histories, Instant now) {
        return of(current, histories, null, now);
    }

    /**
     * @param supersededAt when another took its place (an attempt followed by the next one), which ends it whatever its
     *                     last state; null while none has
     */
    static StateView of(State current, List<StateEntry> histories, Instant supersededAt, Instant now) {
        Instant start = histories.get(0).date();
        Instant end = current.isTerminal() ? histories.get(histories.size() - 1).date() : supersededAt;
        return new StateView(current, histories, start, end, Duration.between(start, end == null ? now : end).toString());
    }
}
