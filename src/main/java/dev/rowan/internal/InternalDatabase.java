package dev.rowan.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rowan.builtin.BuiltinPostgres;
import dev.rowan.config.DatabaseUrl;
import dev.rowan.postgres.PostgresErrors;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.migrations.Migrations;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Rowan's own database: a SQLite file in the data directory, a database on the built-in PostgreSQL
 * server, or the PostgreSQL database {@code database.url} names (see {@link Kind}). Owns the connection
 * pool, the migrations, and in the built-in case the server; the stores in this package do the rest.
 */
public final class InternalDatabase implements AutoCloseable {
    /** What the migrations found, for {@code rowan check} and the start-up guard. */
    public record MigrationStatus(int currentVersion, int latestKnownVersion, int pending, int newerVersion, String newerWrittenBy) {
        public boolean isNewer() {
            return newerVersion > 0;
        }
    }

    /** Where the internal database lives: {@code database.url} when set, otherwise what {@code database.default} says. */
    public enum Kind {
        SQLITE("sqlite"), BUILTIN("builtin"), URL("url");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The word kept in the data directory's installation marker. */
        public String id() {
            return id;
        }

        public static Kind of(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id)) return k;
            }
            throw new IllegalArgumentException(id);
        }

        public static Kind configured(Settings settings) {
            if (settings.find(Options.DATABASE_URL).isPresent()) return URL;
            return settings.get(Options.DATABASE_DEFAULT).equals("builtin") ? BUILTIN : SQLITE;
        }
    }

    /** PostgreSQL advisory lock key held while migrating the internal database ("rowan" in ASCII). */
    private static final long INTERNAL_LOCK_KEY = 0x726f77616eL;
    /** The internal database's name on the built-in server; user databases there are all named rowan_…. */
    static final String BUILTIN_DATABASE = "rowan";

    private final boolean postgres;
    private final Migrations migrations;
    private final String description;
    private final HikariDataSource dataSource;
    private final Jdbc jdbc;
    private final BuiltinPostgres builtinServer;
    private volatile boolean migrated;

    private InternalDatabase(boolean postgres, String description, HikariDataSource dataSource, BuiltinPostgres builtinServer) {
        this.postgres = postgres;
        this.migrations = new Migrations("db/internal", postgres ? "postgresql" : "sqlite", "rowan_schema_history", INTERNAL_LOCK_KEY);
        this.description = description;
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
        this.builtinServer = builtinServer;
    }

    /** How the configured internal database is described to people, without opening it. */
    public static String describe(Settings settings) {
        return switch (Kind.configured(settings)) {
            case URL -> "PostgreSQL " + settings.get(Options.DATABASE_URL).describe();
            case BUILTIN -> "built-in PostgreSQL in " + BuiltinPostgres.dataDirectory(settings.dataDir());
            case SQLITE -> "SQLite " + sqliteFile(settings);
        };
    }

    public static Path sqliteFile(Settings settings) {
        return settings.dataDir().resolve("rowan.db");
    }

    /** Whether the configured SQLite file or built-in server exists yet (a URL's database is someone else's to create). */
    public static boolean existsLocally(Settings settings) {
        return switch (Kind.configured(settings)) {
            case URL -> true;
            case BUILTIN -> BuiltinPostgres.isInitialised(settings.dataDir());
            case SQLITE -> Files.exists(sqliteFile(settings));
        };
    }

    /** Connects (and, for SQLite, creates the owner-only file). Failures explain themselves. */
    public static InternalDatabase open(Settings settings) {
        return open(settings, true);
    }

    /**
     * Connects; with create false a missing SQLite file or built-in server is an error instead of being
     * created, and a built-in server that a running Rowan started is joined, not taken over.
     */
    public static InternalDatabase open(Settings settings, boolean create) {
        Kind kind = Kind.configured(settings);
        String description = describe(settings);
        if (!create && !existsLocally(settings)) {
            throw new InternalDatabaseUnavailable("The internal database " + description + " does not exist yet; Rowan creates it at first start.");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("rowan-internal");
        config.setInitializationFailTimeout(-1);
        BuiltinPostgres server = null;
        switch (kind) {
            case URL -> {
                DatabaseUrl u = settings.get(Options.DATABASE_URL);
                Properties props = connectionProperties(u);
                checkReachable(u, props, settings);
                config.setJdbcUrl(u.jdbcUrl());
                config.setDataSourceProperties(props);
                config.setMaximumPoolSize(8);
            }
            case BUILTIN -> {
                server = BuiltinPostgres.withPasswordFile(settings.dataDir());
                try {
                    int port = create ? server.start() : server.joinOrStart();
                    Properties props = new Properties();
                    props.setProperty("user", BuiltinPostgres.SUPERUSER);
                    props.setProperty("password", server.superuserPassword());
                    props.setProperty("ApplicationName", "rowan");
                    if (create) {
                        createBuiltinDatabase(port, props, description);
                    }
                    config.setJdbcUrl("jdbc:postgresql://localhost:" + port + "/" + BUILTIN_DATABASE);
                    config.setDataSourceProperties(props);
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
                config.setMaximumPoolSize(8);
                // Each connection is a server process on this machine (in the same container): none are kept idle in advance.
                config.setMinimumIdle(1);
            }
            case SQLITE -> {
                Path file = sqliteFile(settings);
                if (create) {
                    createOwnerOnly(file);
                }
                config.setJdbcUrl("jdbc:sqlite:" + file);
                config.addDataSourceProperty("journal_mode", "WAL");
                // Every commit reaches the disk before it is acknowledged (SQLite's own default, stated so no build can weaken it).
                config.addDataSourceProperty("synchronous", "FULL");
                config.addDataSourceProperty("busy_timeout", "10000");
                config.addDataSourceProperty("foreign_keys", "true");
                // Take the write lock when a transaction begins, not halfway: no deadlock between two writers.
                config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
                config.setMaximumPoolSize(4);
            }
        }
        return new InternalDatabase(kind != Kind.SQLITE, description, new HikariDataSource(config), server);
    }

    /** The database {@value #BUILTIN_DATABASE} on the built-in server, created at the first start. */
    private static void createBuiltinDatabase(int port, Properties props, String description) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", props);
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + BUILTIN_DATABASE + "'")) {
                if (rs.next()) return;
            }
            s.execute("CREATE DATABASE " + BUILTIN_DATABASE);
        } catch (SQLException e) {
            throw new InternalDatabaseUnavailable("Rowan could not create its internal database on the " + description
                    + " (SQLState " + e.getSQLState() + ": " + PostgresErrors.firstLine(e.getMessage()) + ").");
        }
    }

    private static Properties connectionProperties(DatabaseUrl u) {
        Properties props = new Properties();
        props.setProperty("user", u.user());
        if (u.password() != null) {
            props.setProperty("password", u.password());
        }
        props.setProperty("ApplicationName", "rowan");
        props.setProperty("connectTimeout", "10");
        u.parameters().forEach(props::setProperty);
        return props;
    }

    private static void checkReachable(DatabaseUrl u, Properties props, Settings settings) {
        try (Connection ignored = DriverManager.getConnection(u.jdbcUrl(), props)) {
            // reachable
        } catch (SQLException e) {
            throw new InternalDatabaseUnavailable("Rowan cannot connect to its internal database " + u.describe()
                    + " (database.url from " + settings.source(Options.DATABASE_URL).describe() + "): "
                    + PostgresErrors.explain(e, u) + ".");
        }
    }

    private static void createOwnerOnly(Path file) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // kept as it is
        } catch (IOException e) {
            throw new InternalDatabaseUnavailable("Rowan cannot create its internal database file " + file + " ("
                    + e.getClass().getSimpleName().replace("Exception", "") + ").");
        }
    }

    public MigrationStatus status() {
        try (Connection c = dataSource.getConnection()) {
            List<Migrations.Applied> applied = migrations.applied(c);
            int current = applied.isEmpty() ? 0 : applied.get(applied.size() - 1).version();
            int latest = migrations.latestKnown();
            String newerBy = current > latest ? applied.get(applied.size() - 1).rowanVersion() : null;
            return new MigrationStatus(Math.min(current, latest), latest, Math.max(0, latest - current),
                    current > latest ? current : 0, newerBy);
        } catch (SQLException e) {
            throw new InternalDatabaseException(e);
        }
    }

    /**
     * Brings the schema up to date, under a lock so that instances starting together take turns.
     * A schema written by a newer Rowan is refused untouched.
     */
    public void migrate(String rowanVersion) {
        try (Connection c = dataSource.getConnection()) {
            migrations.migrate(c, rowanVersion, System.currentTimeMillis());
        } catch (Migrations.NewerSchemaException e) {
            throw new InternalDatabaseUnavailable("The internal database " + description + " " + e.whoWroteIt(rowanVersion)
                    + ", or restore a backup taken before the upgrade; Rowan does not downgrade databases. Nothing was changed.");
        } catch (IllegalStateException e) {
            throw new InternalDatabaseUnavailable("Rowan refuses to use its internal database " + description + ": " + e.getMessage()
                    + ". Its migrations must not be edited; restore the database from a backup or use the Rowan release that created it.");
        } catch (SQLException e) {
            throw new InternalDatabaseUnavailable("Rowan could not update its internal database " + description
                    + " (SQLState " + e.getSQLState() + ": " + e.getMessage() + "). Nothing was changed.");
        }
        migrated = true;
    }

    /** True when a database query answers and the schema is migrated: what /health/ready reports. */
    public boolean isReady() {
        if (!migrated) return false;
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** True when Rowan's tables exist (some Rowan has migrated this database before). */
    public boolean hasRowanSchema() {
        try (Connection c = dataSource.getConnection();
             var rs = c.getMetaData().getTables(null, null, "rowan_meta", null)) {
            return rs.next();
        } catch (SQLException e) {
            throw new InternalDatabaseException(e);
        }
    }

    public String description() {
        return description;
    }

    public boolean isPostgres() {
        return postgres;
    }

    /** The built-in server when it holds this database (it then runs as long as this database is open). */
    public Optional<BuiltinPostgres> builtinServer() {
        return Optional.ofNullable(builtinServer);
    }

    DataSource dataSource() {
        return dataSource;
    }

    Jdbc jdbc() {
        return jdbc;
    }

    @Override
    public void close() {
        dataSource.close();
        if (builtinServer != null) {
            builtinServer.close();
        }
    }
}
