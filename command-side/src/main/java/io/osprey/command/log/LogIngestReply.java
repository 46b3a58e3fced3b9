package io.osprey.command.log;

/**
 * What a committed log batch reports back (also replayed for a repeated {@code Idempotency-Key}).
 *
 * @param batchId  the batch's id, shared by its {@code LogBatchAppended} events
 * @param lines    log lines stored
 * @param events   events appended (slices of at most {@code lines-per-event} lines)
 * @param position the global index of the last event written, also the {@code Osprey-Position} header
 */
public record LogIngestReply(String batchId, int lines, int events, long position) {
}
