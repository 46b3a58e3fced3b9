package io.osprey.events.store;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Global positions in the event store: where an aggregate's event landed, and the head. */
public class EventStorePositions {

    private final JdbcTemplate jdbc;

    public EventStorePositions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The global index of an aggregate's event with the given sequence number, -1 when absent. */
    public long positionOf(String aggregateIdentifier, long sequenceNumber) {
        List<Long> found = jdbc.queryForList(
                "SELECT global_index FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = ?",
                Long.class, aggregateIdentifier, sequenceNumber);
        return found.isEmpty() ? -1 : found.get(0);
    }

    /** The global index of an event by its identifier (events of no aggregate, such as log batches), -1 when absent. */
    public long positionOfEvent(String eventIdentifier) {
        List<Long> found = jdbc.queryForList(
                "SELECT global_index FROM domain_event_entry WHERE event_identifier = ?", Long.class, eventIdentifier);
        return found.isEmpty() ? -1 : found.get(0);
    }

    /** When the first event after this global index was stored, as Axon records it; empty when none is. */
    public Optional<Instant> storedAfter(long globalIndex) {
        List<String> found = jdbc.queryForList("SELECT time_stamp FROM domain_event_entry WHERE global_index > ?"
                + " ORDER BY global_index LIMIT 1", String.class, globalIndex);
        return found.stream().findFirst().map(Instant::parse);
    }

    /** The highest global index written so far, -1 for an empty store. */
    public long head() {
        Long head = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class);
        return head == null ? -1 : head;
    }
}
