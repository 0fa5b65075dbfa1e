package dev.rowan.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One real PostgreSQL server (the built-in binaries) shared by the test JVM; each test takes fresh databases. */
public final class TestPostgres {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestPostgres() {
    }

    /** The default major's server, shared with the per-version tests (one start per JVM). */
    public static EmbeddedPostgres server() {
        return PostgresVersions.server(PostgresVersions.DEFAULT);
    }

    /** A new, empty database; returns its postgres:// URL (user postgres, no password: the test server trusts local connections). */
    public static String newDatabase() {
        String name = "rowan_test_" + COUNTER.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return "postgres://postgres@localhost:" + server().getPort() + "/" + name;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + server().getPort() + "/" + database, "postgres", "");
    }

    public static String databaseName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
