package io.osprey.query.blob;

import io.osprey.events.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** The last sweep of unreferenced blobs on this node. */
@RestController
@Tag(name = "Blobs")
public class BlobSweepController {

    private final BlobSweeper sweeper;

    public BlobSweepController(BlobSweeper sweeper) {
        this.sweeper = sweeper;
    }

    @GetMapping(value = "/api/v1/blobs/sweeps/last", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Last blob sweep",
            description = "What the last sweep of unreferenced blobs on this node did: scanned, deleted and kept blobs, or why it was skipped.")
    public ResponseEntity<?> last() {
        return sweeper.last().<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> Problems.problem(HttpStatus.NOT_FOUND, "not-found", "Not found",
                        "no blob sweep has run on this node yet", Map.of("field", "sweep", "rule", "exists")));
    }
}
