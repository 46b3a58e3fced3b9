package io.osprey.query.projection;

import io.osprey.events.store.EventStorePositions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** How far each projection has read the event store, per segment, and how far behind the head it is. */
@RestController
@Tag(name = "Projections")
public class ProjectionsController {

    private final ProjectionPositions positions;
    private final EventStorePositions eventStore;

    public ProjectionsController(ProjectionPositions positions, EventStorePositions eventStore) {
        this.positions = positions;
        this.eventStore = eventStore;
    }

    public record ProjectionsView(long head, List<ProcessorView> processors) {
    }

    public record ProcessorView(String name, List<SegmentView> segments, long position, long lag) {
    }

    public record SegmentView(int segment, long position, long lag, boolean caughtUp) {
    }

    @GetMapping(value = "/api/v1/projections", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Projection positions",
            description = "The event store head and, for each tracking processor and segment, the global position it has read and its lag behind the head.")
    public ProjectionsView projections() {
        List<ProjectionProgress> progress = positions.all();
        long head = eventStore.head(); // read after the tokens, so that no lag comes out negative
        return new ProjectionsView(head, progress.stream().map(processor -> view(processor, head)).toList());
    }

    private static ProcessorView view(ProjectionProgress processor, long head) {
        List<SegmentView> segments = processor.segments().stream()
                .map(segment -> new SegmentView(segment.segment(), segment.position(), lag(head, segment.position()),
                        segment.position() >= head))
                .toList();
        return new ProcessorView(processor.processor(), segments, processor.position(), lag(head, processor.position()));
    }

    private static long lag(long head, long position) {
        return Math.max(0, head - position);
    }
}
