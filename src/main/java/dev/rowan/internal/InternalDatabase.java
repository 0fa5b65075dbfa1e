package dev.rowan.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rowan.config.DatabaseUrl;
import dev.rowan.postgres.PostgresErrors;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Rowan's own database: a SQLite file in the data directory, or PostgreSQL when {@code database.url}
 * is set. Owns the connection pool and the Flyway migrations; the stores in this package do the rest.
 */
public final class InternalDatabase implements AutoCloseable {
    /** What the migrations found, for {@code rowan check} and the start-up guard. */
    public record MigrationStatus(String currentVersion, String latestKnownVersion, int pending, String newerVersion) {
        public boolean isNewer() {
            return newerVersion != null;
        }
    }

    private final boolean postgres;
    private final String description;
    private final HikariDataSource dataSource;
    private final Jdbc jdbc;
    private volatile boolean migrated;

    private InternalDatabase(boolean postgres, String description, HikariDataSource dataSource) {
        this.postgres = postgres;
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

    private Flyway flyway() {
        return Flyway.configure(getClass().getClassLoader())
                .dataSource(dataSource)
                .locations(postgres ? "classpath:db/internal/postgresql" : "classpath:db/internal/sqlite")
                .table("rowan_schema_history")
                .baselineOnMigrate(false)
                .load();
    }

    public MigrationStatus status() {
        MigrationInfo[] all = flyway().info().all();
        String current = null;
        String latest = null;
        String newer = null;
        int pending = 0;
        for (MigrationInfo m : all) {
            if (m.getVersion() == null) continue;
            MigrationState state = m.getState();
            if (state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED) {
                newer = m.getVersion().getVersion();
            } else {
                latest = m.getVersion().getVersion();
                if (state.isApplied()) {
                    current = m.getVersion().getVersion();
                } else if (state == MigrationState.PENDING) {
                    pending++;
                }
            }
        }
        return new MigrationStatus(current, latest, pending, newer);
    }

    /**
     * Brings the schema up to date. On PostgreSQL Flyway holds an advisory lock while it migrates, so
     * instances starting together take turns. A schema written by a newer Rowan is refused untouched.
     */
    public void migrate(String rowanVersion) {
        MigrationStatus before = status();
        if (before.isNewer()) {
            String writer = new MetaStore(this).get(MetaStore.SCHEMA_WRITTEN_BY).orElse("a newer version");
            throw new InternalDatabaseUnavailable("The internal database " + description + " was last updated by Rowan "
                    + writer + " (schema version " + before.newerVersion() + "); this is Rowan " + rowanVersion
                    + ", which knows schema versions up to " + before.latestKnownVersion()
                    + ". Rowan does not downgrade databases: start Rowan " + writer + " or newer, or restore a backup taken before the upgrade. "
                    + "Nothing was changed.");
        }
        int applied = flyway().migrate().migrationsExecuted;
        if (applied > 0 || new MetaStore(this).get(MetaStore.SCHEMA_WRITTEN_BY).isEmpty()) {
            new MetaStore(this).put(MetaStore.SCHEMA_WRITTEN_BY, rowanVersion);
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
