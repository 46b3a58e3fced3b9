package io.osprey.query.namespace;

import io.osprey.events.namespace.NamespaceDirectoryCreated;
import io.osprey.events.namespace.NamespaceFileDeleted;
import io.osprey.events.namespace.NamespaceFileEvent;
import io.osprey.events.namespace.NamespaceFileMoved;
import io.osprey.events.namespace.NamespaceFileWritten;
import io.osprey.events.namespace.NamespacePath;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The projection's writes to the namespace files read model, each in the transaction of the processor's batch.
 * A subtree is the path itself plus the range of paths below it (see {@link NamespacePath#descendantsFrom()}).
 */
@Component
class NamespaceFileTables {

    private static final String IN_NAMESPACE = " WHERE tenant = ? AND namespace = ?";
    private static final String IN_SUBTREE = IN_NAMESPACE + " AND (path = ? OR (path >= ? AND path < ?))";
    private static final String APPLIED = "SELECT sequence FROM namespace_file_streams" + IN_NAMESPACE;
    private static final String FIRST_APPLIED =
            "INSERT INTO namespace_file_streams (tenant, namespace, sequence, created, updated) VALUES (?, ?, ?, ?, ?)";
    private static final String NEXT_APPLIED = "UPDATE namespace_file_streams SET sequence = ?, updated = ?" + IN_NAMESPACE;
    private static final String INSERT_DIRECTORY = """
            INSERT INTO namespace_files (tenant, namespace, path, parent, name, type, created, updated)
            VALUES (?, ?, ?, ?, ?, 'DIRECTORY', ?, ?)""";
    private static final String INSERT_FILE = """
            INSERT INTO namespace_files (tenant, namespace, path, parent, name, type, revision, size, sha256, uri, created, updated)
            VALUES (?, ?, ?, ?, ?, 'FILE', ?, ?, ?, ?, ?, ?)""";
    private static final String UPDATE_FILE =
            "UPDATE namespace_files SET revision = ?, size = ?, sha256 = ?, uri = ?, updated = ?" + IN_NAMESPACE + " AND path = ?";
    private static final String INSERT_REVISION = """
            INSERT INTO namespace_file_revisions (tenant, namespace, path, revision, size, sha256, uri, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String MOVE_ENTRY = "UPDATE namespace_files SET path = ?, parent = ?, name = ?" + IN_NAMESPACE + " AND path = ?";
    private static final String MOVE_REVISIONS = "UPDATE namespace_file_revisions SET path = ?" + IN_NAMESPACE + " AND path = ?";

    private final JdbcTemplate jdbc;

    NamespaceFileTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the event as the namespace's last applied one; false when an event at or after its sequence number
     * was applied already (it is delivered again), and then nothing must change.
     */
    boolean advance(NamespaceFileEvent event, long sequence) {
        List<Long> applied = jdbc.queryForList(APPLIED, Long.class, event.tenant(), event.namespace());
        if (applied.isEmpty()) {
            jdbc.update(FIRST_APPLIED, event.tenant(), event.namespace(), sequence, timestamp(event.at()), timestamp(event.at()));
            return true;
        }
        if (sequence <= applied.get(0)) {
            return false;
        }
        jdbc.update(NEXT_APPLIED, sequence, timestamp(event.at()), event.tenant(), event.namespace());
        return true;
    }

    void createDirectory(NamespaceDirectoryCreated event) {
        NamespacePath path = NamespacePath.normalised(event.path());
        jdbc.update(INSERT_DIRECTORY, event.tenant(), event.namespace(), path.value(), path.parent().value(), path.name(),
                timestamp(event.at()), timestamp(event.at()));
    }

    void writeFile(NamespaceFileWritten event) {
        NamespacePath path = NamespacePath.normalised(event.path());
        int updated = jdbc.update(UPDATE_FILE, event.revision(), event.size(), event.sha256(), event.uri(),
                timestamp(event.at()), event.tenant(), event.namespace(), path.value());
        if (updated == 0) {
            jdbc.update(INSERT_FILE, event.tenant(), event.namespace(), path.value(), path.parent().value(), path.name(),
                    event.revision(), event.size(), event.sha256(), event.uri(), timestamp(event.at()), timestamp(event.at()));
        }
        jdbc.update(INSERT_REVISION, event.tenant(), event.namespace(), path.value(), event.revision(), event.size(),
                event.sha256(), event.uri(), timestamp(event.at()));
    }

    /** Moves every row of the subtree, revisions included; nothing exists at the target yet. */
    void move(NamespaceFileMoved event) {
        NamespacePath from = NamespacePath.normalised(event.from());
        NamespacePath to = NamespacePath.normalised(event.to());
        List<Object[]> entries = new ArrayList<>();
        List<Object[]> revisions = new ArrayList<>();
        for (String old : jdbc.queryForList("SELECT path FROM namespace_files" + IN_SUBTREE, String.class,
                subtree(event.tenant(), event.namespace(), from))) {
            NamespacePath moved = NamespacePath.normalised(old).moved(from, to);
            entries.add(new Object[]{moved.value(), moved.parent().value(), moved.name(), event.tenant(), event.namespace(), old});
            revisions.add(new Object[]{moved.value(), event.tenant(), event.namespace(), old});
        }
        jdbc.batchUpdate(MOVE_ENTRY, entries);
        jdbc.batchUpdate(MOVE_REVISIONS, revisions);
    }

    void delete(NamespaceFileDeleted event) {
        Object[] subtree = subtree(event.tenant(), event.namespace(), NamespacePath.normalised(event.path()));
        jdbc.update("DELETE FROM namespace_file_revisions" + IN_SUBTREE, subtree);
        jdbc.update("DELETE FROM namespace_files" + IN_SUBTREE, subtree);
    }

    /** Empties the read model, for a rebuild from the first event. */
    void deleteAll() {
        jdbc.update("DELETE FROM namespace_file_revisions");
        jdbc.update("DELETE FROM namespace_files");
        jdbc.update("DELETE FROM namespace_file_streams");
    }

    private static Object[] subtree(String tenant, String namespace, NamespacePath path) {
        return new Object[]{tenant, namespace, path.value(), path.descendantsFrom(), path.descendantsUntil()};
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
