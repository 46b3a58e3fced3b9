package io.osprey.query.blob;

import io.osprey.blob.BlobEntry;
import io.osprey.blob.BlobPage;
import io.osprey.blob.BlobPrefix;
import io.osprey.blob.BlobStore;
import io.osprey.blob.InvalidBlobKeyException;
import io.osprey.events.Tenants;
import io.osprey.events.store.EventStorePositions;
import io.osprey.query.projection.ProjectionCommits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Deletes blobs that no event points at: what a crash between a blob's write and its event's commit, or a
 * refused command, leaves behind. A blob is deleted only when all of these hold:
 * <ol>
 *   <li>the blob references read model covers every event committed when the sweep started (waited for up to
 *       {@code catch-up-wait}, else the whole sweep is skipped: an event committed but not yet projected must never
 *       lose its blob);</li>
 *   <li>the blob was last modified before the sweep's start minus the grace period (an event committed after
 *       the start was then written more than a grace period after its blob, which the grace period rules out);</li>
 *   <li>no event points at it ({@code blob_references} has no row for it).</li>
 * </ol>
 * The store lists by tenant only, so the sweep walks {@code main}, every tenant some event has pointed a blob
 * at, and the configured ones. Several nodes may sweep at once: deletes are idempotent.
 */
@Component
public class BlobSweeper {

    private static final Logger log = LoggerFactory.getLogger(BlobSweeper.class);
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(100);

    private final BlobStore store;
    private final BlobReferences references;
    private final BlobReferenceCatchUp catchUp;
    private final EventStorePositions eventStore;
    private final BlobSweepProperties properties;
    private final ProjectionCommits commits;
    private final AtomicReference<BlobSweepResult> last = new AtomicReference<>();

    BlobSweeper(BlobStore store, BlobReferences references, BlobReferenceCatchUp catchUp, EventStorePositions eventStore,
                BlobSweepProperties properties, ProjectionCommits commits) {
        this.commits = commits;
        this.store = store;
        this.references = references;
        this.catchUp = catchUp;
        this.eventStore = eventStore;
        this.properties = properties;
    }

    /** One sweep with the configured grace period. */
    public BlobSweepResult sweep() {
        return sweep(properties.gracePeriod());
    }

    /** One sweep, deleting unreferenced blobs older than {@code gracePeriod}; one at a time per node. */
    public synchronized BlobSweepResult sweep(Duration gracePeriod) {
        Instant start = Instant.now(); // before the head is read: see the class comment, condition 2
        Instant cutoff = start.minus(gracePeriod);
        long head = -1;
        BlobSweepResult result;
        try {
            head = eventStore.head();
            Optional<String> lag = awaitCatchUp(head);
            if (lag.isPresent()) {
                result = BlobSweepResult.skipped(lag.get(), start, head, cutoff);
                log.info("Blob sweep skipped, nothing deleted: {}", lag.get());
            } else {
                result = walk(start, head, cutoff);
                log.info("Blob sweep: {} tenant(s), {} blob(s) scanned, {} deleted, {} referenced, {} younger than {}, "
                        + "{} unfinished put(s) removed", result.tenants(), result.scanned(), result.deleted(),
                        result.referenced(), result.young(), gracePeriod, result.unfinished());
            }
        } catch (RuntimeException e) {
            log.warn("Blob sweep failed; it runs again at the next interval", e);
            result = new BlobSweepResult(BlobSweepResult.Status.FAILED, String.valueOf(e.getMessage()), start, Instant.now(),
                    head, cutoff, 0, 0, 0, 0, 0, 0);
        }
        last.set(result);
        return result;
    }

    /**
     * Empty once the read model holds every event up to the head; why not, when it still does not after
     * {@code catch-up-wait}. Woken by each batch a projection of this node commits, and polled for other nodes'.
     */
    private Optional<String> awaitCatchUp(long head) {
        long deadline = System.nanoTime() + properties.catchUpWait().toNanos();
        while (true) {
            long seen = commits.count();
            Optional<String> lag = catchUp.lagBehind(head);
            long remaining = deadline - System.nanoTime();
            if (lag.isEmpty() || remaining <= 0) {
                return lag;
            }
            try {
                commits.awaitNext(seen, Math.min(remaining, CATCH_UP_POLL.toNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return lag;
            }
        }
    }

    /** The result of the last sweep on this node, empty before the first. */
    public Optional<BlobSweepResult> last() {
        return Optional.ofNullable(last.get());
    }

    private BlobSweepResult walk(Instant start, long head, Instant cutoff) {
        Set<String> tenants = new TreeSet<>(references.tenants());
        tenants.add(Tenants.DEFAULT);
        tenants.addAll(properties.tenants());
        long scanned = 0;
        long deleted = 0;
        long referenced = 0;
        long young = 0;
        long unfinished = 0;
        for (String tenant : tenants) {
            BlobPrefix prefix;
            try {
                prefix = BlobPrefix.of(tenant);
            } catch (InvalidBlobKeyException e) {
                log.warn("Blob sweep: skipping tenant {}: {}", tenant, e.getMessage());
                continue;
            }
            String after = null;
            do {
                BlobPage page = store.list(prefix, after, properties.pageSize());
                scanned += page.entries().size();
                List<BlobEntry> old = new ArrayList<>();
                for (BlobEntry entry : page.entries()) {
                    if (entry.lastModified().isBefore(cutoff)) {
                        old.add(entry);
                    } else {
                        young++;
                    }
                }
                Set<String> pointedAt = references.referenced(old.stream().map(entry -> entry.uri().toString()).toList());
                for (BlobEntry entry : old) {
                    if (pointedAt.contains(entry.uri().toString())) {
                        referenced++;
                    } else if (store.delete(entry.uri())) {
                        deleted++;
                        log.debug("Blob sweep deleted {} (last modified {})", entry.uri(), entry.lastModified());
                    }
                }
                after = page.next();
            } while (after != null);
            // puts cut off by a crash or a store that stopped answering: no event can point at what they wrote
            unfinished += store.deleteUnfinished(prefix, cutoff);
        }
        return new BlobSweepResult(BlobSweepResult.Status.COMPLETED, null, start, Instant.now(), head, cutoff,
                tenants.size(), scanned, deleted, referenced, young, unfinished);
    }
}
