package io.osprey.query.namespace;

import io.osprey.events.namespace.NamespacePath;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Reads of the namespace files read model. */
@Component
class NamespaceFileQueries {

    private static final String ENTRY = "SELECT path, type, revision, size, sha256, uri, created, updated FROM namespace_files"
            + " WHERE tenant = ? AND namespace = ?";
    private static final String REVISION = "SELECT revision, size, sha256, uri, at FROM namespace_file_revisions"
            + " WHERE tenant = ? AND namespace = ? AND path = ?";

    private final JdbcTemplate jdbc;

    NamespaceFileQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The file or directory at the path; the root always exists. */
    Optional<NamespaceFileRow> find(String tenant, String namespace, NamespacePath path) {
        if (path.isRoot()) {
            return Optional.of(root(tenant, namespace));
        }
        return jdbc.query(ENTRY + " AND path = ?", NamespaceFileQueries::entry, tenant, namespace, path.value()).stream().findFirst();
    }

    /** What a directory holds, by name. */
    List<NamespaceFileRow> children(String tenant, String namespace, NamespacePath directory) {
        return jdbc.query(ENTRY + " AND parent = ? ORDER BY name", NamespaceFileQueries::entry, tenant, namespace, directory.value());
    }

    List<NamespaceFileRevision> revisions(String tenant, String namespace, NamespacePath path) {
        return jdbc.query(REVISION + " ORDER BY revision", NamespaceFileQueries::revision, tenant, namespace, path.value());
    }

    Optional<NamespaceFileRevision> revision(String tenant, String namespace, NamespacePath path, int revision) {
        return jdbc.query(REVISION + " AND revision = ?", NamespaceFileQueries::revision, tenant, namespace, path.value(), revision)
                .stream().findFirst();
    }

    private NamespaceFileRow root(String tenant, String namespace) {
        return jdbc.query("SELECT created, updated FROM namespace_file_streams WHERE tenant = ? AND namespace = ?",
                        (row, i) -> new NamespaceFileRow(NamespacePath.ROOT, true, null, null, null, null,
                                instant(row, "created"), instant(row, "updated")), tenant, namespace)
                .stream().findFirst()
                .orElse(new NamespaceFileRow(NamespacePath.ROOT, true, null, null, null, null, null, null));
    }

    private static NamespaceFileRow entry(ResultSet row, int rowNumber) throws SQLException {
        return new NamespaceFileRow(NamespacePath.normalised(row.getString("path")), "DIRECTORY".equals(row.getString("type")),
                row.getObject("revision", Integer.class), row.getObject("size", Long.class), row.getString("sha256"),
                row.getString("uri"), instant(row, "created"), instant(row, "updated"));
    }

    private static NamespaceFileRevision revision(ResultSet row, int rowNumber) throws SQLException {
        return new NamespaceFileRevision(row.getInt("revision"), row.getLong("size"), row.getString("sha256"),
                row.getString("uri"), instant(row, "at"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }
}
