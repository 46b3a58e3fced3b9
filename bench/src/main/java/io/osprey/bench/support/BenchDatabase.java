package io.osprey.bench.support;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throw-away PostgreSQL database for one bench run: {@code CREATE DATABASE osprey_bench_<random>} on the
 * server named by the admin URL, {@code DROP DATABASE ... WITH (FORCE)} on {@link #close()}.
 */
public final class BenchDatabase implements AutoCloseable {

    private static final Pattern PG_URL = Pattern.compile("^(jdbc:postgresql://[^/?]*)(/([^?]*))?(\\?.*)?$");

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String name;
    private final String url;
    private boolean dropped;

    private BenchDatabase(String adminUrl, String user, String password, String name) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        this.url = withDatabase(adminUrl, name);
    }

    public static BenchDatabase create(String adminUrl, String user, String password) throws SQLException {
        byte[] random = new byte[5];
        new SecureRandom().nextBytes(random);
        String name = "osprey_bench_" + HexFormat.of().formatHex(random);
        BenchDatabase db = new BenchDatabase(adminUrl, user, password, name);
        try (Connection c = db.adminConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return db;
    }

    /** A fresh database on the server {@code --pg-url}/{@code --pg-user}/{@code --pg-password} name (or their env). */
    public static BenchDatabase create(Args args) throws SQLException {
        return create(args.string("pg-url", Args.env("OSPREY_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres")),
                args.string("pg-user", Args.env("OSPREY_BENCH_PG_USER", "postgres")),
                args.string("pg-password", Args.env("OSPREY_BENCH_PG_PASSWORD", "")));
    }

    /** The Spring datasource arguments that point an Osprey application at this database. */
    public List<String> springArgs() {
        List<String> springArgs = new ArrayList<>(List.of("--spring.datasource.url=" + url,
                "--spring.datasource.username=" + user));
        if (!password.isEmpty()) {
            springArgs.add("--spring.datasource.password=" + password);
        }
        return springArgs;
    }

    /** The JDBC URL with its database path replaced by {@code database}; query parameters are kept. */
    public static String withDatabase(String jdbcUrl, String database) {
        Matcher m = PG_URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql:// URL: " + jdbcUrl);
        }
        return m.group(1) + "/" + database + (m.group(4) == null ? "" : m.group(4));
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, properties());
    }

    private Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(adminUrl, properties());
    }

    private Properties properties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "osprey-bench");
        return p;
    }

    @Override
    public synchronized void close() {
        if (dropped) {
            return;
        }
        dropped = true;
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            Log.info("dropped database %s", name);
        } catch (SQLException e) {
            Log.info("could not drop database %s: %s", name, e.getMessage());
        }
    }
}
