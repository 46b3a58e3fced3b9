package io.osprey.events.store;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The two databases Osprey runs on: H2 (the embedded default) and PostgreSQL. */
public enum DatabaseVendor {
    H2("h2"), POSTGRESQL("postgresql");

    private final String folder;

    DatabaseVendor(String folder) {
        this.folder = folder;
    }

    /** The folder of this vendor's migrations ({@code db/.../{vendor}}). */
    public String folder() {
        return folder;
    }

    public static DatabaseVendor of(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2") ? H2 : POSTGRESQL;
    }

    public static DatabaseVendor of(JdbcTemplate jdbc) {
        return jdbc.execute((ConnectionCallback<DatabaseVendor>) DatabaseVendor::of);
    }
}
