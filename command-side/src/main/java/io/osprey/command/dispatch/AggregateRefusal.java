package io.osprey.command.dispatch;

/**
 * An exception by which an aggregate's rules refuse a command, judged on the state it was loaded with. That state may
 * come from this node's cache after another node has moved the aggregate on; the refusal's rollback evicts it, and
 * the dispatcher asks once more on the state in the event store before it answers.
 */
public interface AggregateRefusal {
}
