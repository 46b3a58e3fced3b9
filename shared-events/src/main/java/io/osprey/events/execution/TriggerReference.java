package io.osprey.events.execution;

/** The trigger that started an execution, if any (Kestra's {@code ExecutionTrigger}, without variables). */
public record TriggerReference(String id, String type) {
}
