package io.osprey.query.blob;

import io.osprey.blob.BlobUri;
import io.osprey.blob.InvalidBlobKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code blob_references} table: written by {@link BlobReferenceProjection}, read by {@link BlobSweeper}. */
@Component
class BlobReferences {

    private static final Logger log = LoggerFactory.getLogger(BlobReferences.class);

    /** Insert-if-absent in a form both PostgreSQL and H2 accept. */
    private static final String INSERT_IF_ABSENT = """
            INSERT INTO blob_references (uri, tenant, first_seen)
            SELECT CAST(? AS VARCHAR(1100)), CAST(? AS VARCHAR(64)), CAST(? AS TIMESTAMP WITH TIME ZONE)
            WHERE NOT EXISTS (SELECT 1 FROM blob_references WHERE uri = ?)""";
    /** How many URIs one lookup asks for at most. */
    private static final int LOOKUP_CHUNK = 500;

    private final JdbcTemplate jdbc;

    BlobReferences(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the URIs (canonicalised); one that is not a blob URI cannot name a stored blob and is skipped. */
    void add(Collection<String> uris, Instant at) {
        if (uris == null) {
            return;
        }
        for (String raw : uris) {
            BlobUri uri;
            try {
                uri = BlobUri.parse(raw);
            } catch (InvalidBlobKeyException e) {
                log.warn("An event points at {}, which is not a blob URI: not recorded ({})", raw, e.getMessage());
                continue;
            }
            String canonical = uri.toString();
            jdbc.update(INSERT_IF_ABSENT, canonical, uri.tenant(), at.atOffset(ZoneOffset.UTC), canonical);
        }
    }

    /** Which of these (canonical) URIs some event points at. */
    Set<String> referenced(Collection<String> uris) {
        List<String> all = List.copyOf(uris);
        Set<String> found = new HashSet<>();
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            found.addAll(jdbc.queryForList("SELECT uri FROM blob_references WHERE uri IN (" + marks + ")",
                    String.class, chunk.toArray()));
        }
        return found;
    }

    /** Every tenant that some event has pointed a blob at. */
    List<String> tenants() {
        return jdbc.queryForList("SELECT DISTINCT tenant FROM blob_references ORDER BY tenant", String.class);
    }

    boolean contains(String uri) {
        return !referenced(List.of(uri)).isEmpty();
    }

    /** Empties the read model, for a rebuild from the first event. */
    void deleteAll() {
        jdbc.update("DELETE FROM blob_references");
    }
}
