package dev.rowan.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Rowan's own database: a SQLite file in the data directory, or PostgreSQL when {@code database.url}
 * is set. Owns the connection pool and the migrations; the stores in this package do the rest.
 */
public final class InternalDatabase implements AutoCloseable {
    /** What the migrations found, for {@code rowan check} and the start-up guard. */
    public record MigrationStatus(int currentVersion, int latestKnownVersion, int pending, int newerVersion, String newerWrittenBy) {
        public boolean isNewer() {
            return newerVersion > 0;
        }
    }

    /** PostgreSQL advisory lock key held while migrating the internal database ("rowan" in ASCII). */
    private static final long INTERNAL_LOCK_KEY = 0x726f77616eL;

    private final boolean postgres;
    private final Migrations migrations;
    private final String description;
    private final HikariDataSource dataSource;
    private final Jdbc jdbc;
    private volatile boolean migrated;

    private InternalDatabase(boolean postgres, String description, HikariDataSource dataSource) {
        this.postgres = postgres;
        this.migrations = new Migrations("db/internal", postgres ? "postgresql" : "sqlite", "rowan_schema_history", INTERNAL_LOCK_KEY);
        this.description = description;
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
    }

    /** How the configured internal database is described to people, without opening it. */
    public static String describe(Settings settings) {
        return settings.find(Options.DATABASE_URL)
                .map(url -> "PostgreSQL " + url.describe())
                .orElse("SQLite " + sqliteFile(settings));
    }

    public static Path sqliteFile(Settings settings) {
        return settings.dataDir().resolve("rowan.db");
    }

    /** Connects (and, for SQLite, creates the owner-only file). Failures explain themselves. */
    public static InternalDatabase open(Settings settings) {
        return open(settings, true);
    }

    /** Connects; with create false a missing SQLite file is an error instead of being created. */
    public static InternalDatabase open(Settings settings, boolean create) {
        Optional<DatabaseUrl> url = settings.find(Options.DATABASE_URL);
        String description = describe(settings);
        HikariConfig config = new HikariConfig();
        config.setPoolName("rowan-internal");
        config.setInitializationFailTimeout(-1);
        if (url.isPresent()) {
            DatabaseUrl u = url.get();
            Properties props = connectionProperties(u);
            checkReachable(u, props, settings);
            config.setJdbcUrl(u.jdbcUrl());
            config.setDataSourceProperties(props);
            config.setMaximumPoolSize(8);
        } else {
            Path file = sqliteFile(settings);
            if (create) {
                createOwnerOnly(file);
            } else if (!Files.isRegularFile(file)) {
                throw new InternalDatabaseUnavailable("The internal database " + file + " does not exist yet; Rowan creates it at first start.");
            }
            config.setJdbcUrl("jdbc:sqlite:" + file);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("busy_timeout", "10000");
            config.addDataSourceProperty("foreign_keys", "true");
            // Take the write lock when a transaction begins, not halfway: no deadlock between two writers.
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            config.setMaximumPoolSize(4);
        }
        return new InternalDatabase(url.isPresent(), description, new HikariDataSource(config));
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
            throw new InternalDatabaseUnavailable("The internal database " + description + " was last updated by Rowan "
                    + e.rowanVersion + " (schema version " + e.version + "); this is Rowan " + rowanVersion
                    + ", which knows schema versions up to " + e.latestKnown
                    + ". Rowan does not downgrade databases: start Rowan " + e.rowanVersion + " or newer, or restore a backup "
                    + "taken before the upgrade. Nothing was changed.");
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

    DataSource dataSource() {
        return dataSource;
    }

    Jdbc jdbc() {
        return jdbc;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
