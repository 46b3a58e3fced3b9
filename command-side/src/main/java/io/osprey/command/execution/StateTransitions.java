package io.osprey.command.execution;

import io.osprey.events.execution.State;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.osprey.events.execution.State.*;

/**
 * The one place that says which state may follow which, for executions and task runs alike.
 * Terminal states have no successor: only a restart leaves FAILED or KILLED.
 */
public final class StateTransitions {

    private static final Map<State, EnumSet<State>> ALLOWED = new EnumMap<>(State.class);

    static {
        allow(CREATED, QUEUED, RUNNING, PAUSED, KILLING, CANCELLED, SKIPPED, FAILED);
        allow(QUEUED, RUNNING, KILLING, CANCELLED, FAILED);
        allow(RUNNING, PAUSED, BREAKPOINT, RETRYING, KILLING, SUCCESS, WARNING, FAILED, CANCELLED);
        allow(PAUSED, RUNNING, KILLING, SUCCESS, WARNING, FAILED, CANCELLED);
        allow(BREAKPOINT, RUNNING, KILLING, FAILED, CANCELLED);
        allow(RETRYING, RUNNING, RETRIED, KILLING, FAILED);
        allow(RESTARTED, QUEUED, RUNNING, KILLING, CANCELLED, FAILED);
        allow(KILLING, KILLED);
        for (State state : State.values()) {
            ALLOWED.putIfAbsent(state, EnumSet.noneOf(State.class));
        }
    }

    /** States a restart accepts, and the states a new task-run attempt may start in. */
    public static final Set<State> RESTARTABLE = EnumSet.of(FAILED, KILLED);
    public static final Set<State> ATTEMPT_START = EnumSet.of(CREATED, QUEUED, RUNNING);

    private StateTransitions() {
    }

    private static void allow(State from, State... to) {
        ALLOWED.put(from, EnumSet.of(to[0], to));
    }

    public static boolean isAllowed(State from, State to) {
        return ALLOWED.get(from).contains(to);
    }

    public static Set<State> successorsOf(State from) {
        return EnumSet.copyOf(ALLOWED.get(from));
    }
}
