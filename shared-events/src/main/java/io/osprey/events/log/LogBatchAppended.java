package io.osprey.events.log;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A slice of an ingested batch of log lines. Logs belong to no aggregate: a batch is published straight
 * to the event store as a few of these events, appended in one transaction. The lines travel encoded
 * and compressed ({@link LogBatchCodec}), which keeps the event store smaller than a row per line.
 *
 * @param batchId      the ingest request's id, shared by all slices of one batch
 * @param slice        this slice's index within the batch, from 0
 * @param lineCount    lines in this slice
 * @param firstLine    the 0-based index, within the request, of this slice's first line
 * @param minTimestamp earliest line timestamp in the slice
 * @param maxTimestamp latest line timestamp in the slice
 * @param encodedLines the lines, as {@link LogBatchCodec#encode} writes them
 */
@Revision("1")
public record LogBatchAppended(String tenant, String batchId, int slice, int lineCount, int firstLine,
                               Instant minTimestamp, Instant maxTimestamp, String encodedLines) {
}
