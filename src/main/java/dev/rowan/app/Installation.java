package dev.rowan.app;

import dev.rowan.UserFacingException;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.internal.MetaStore;
import dev.rowan.secret.SecretKeys;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Ties a data directory, an internal database and a secret key together, so that a changed setting
 * is noticed and explained instead of Rowan silently starting as a fresh install.
 * The data directory keeps a small marker file naming the installation and its internal database.
 */
public final class Installation {
    public static final String MARKER_FILE = "installation.properties";

    private Installation() {
    }

    /**
     * Before the internal database is opened, which would create an empty SQLite file or built-in server:
     * was this data directory used with another kind of internal database? (Between two URLs, only the
     * database itself can tell, see {@link #checkDatabase}.)
     */
    public static void checkKind(Settings settings) {
        Optional<Properties> marker = readMarker(settings);
        if (marker.isEmpty()) {
            return;
        }
        InternalDatabase.Kind used = usedKind(marker.get());
        InternalDatabase.Kind configured = InternalDatabase.Kind.configured(settings);
        if (used != configured) {
            throw empty(settings, marker.get(), InternalDatabase.describe(settings));
        }
    }

    /**
     * Before a secret key would be generated: an installation that has been used has a key already,
     * recorded by its fingerprint, so a new one would only be refused once the internal database is
     * open, after it had been written into rowan.conf. Refuses with nothing written.
     */
    public static void refuseNewKeyIfUsed(Settings settings) {
        if (settings.find(Options.SECRET_KEY).isPresent()) {
            return;
        }
        readMarker(settings).ifPresent(marker -> {
            throw new UserFacingException("No secret key is configured, but this data directory (" + settings.dataDir()
                    + ") belongs to an installation that has been used (" + marker.getProperty("id") + ", internal database "
                    + marker.getProperty("internal.database", "(not recorded)") + "), and that installation has a key. Rowan refuses to "
                    + "start and changed nothing; a new key could not read what the original one encrypted. Put the original key back: "
                    + "the line `" + Options.SECRET_KEY.key() + " = ...` in " + settings.ownConfigFile() + ", or " + Options.SECRET_KEY.envName()
                    + " or " + Options.SECRET_KEY.envFileName() + ", wherever it was set (a backup of " + settings.ownConfigFile()
                    + " has it). If it is lost for good, configure a new key and run `rowan secret adopt`: passwords of connected "
                    + "databases must then be entered again.");
        });
    }

    /** Before anything is written to the internal database: is it the one this data directory was used with? */
    public static void checkDatabase(Settings settings, InternalDatabase db) {
        Optional<Properties> marker = readMarker(settings);
        if (marker.isEmpty()) {
            return;
        }
        String markerId = marker.get().getProperty("id");
        String usedDb = marker.get().getProperty("internal.database", "(not recorded)");
        Optional<String> dbId = db.hasRowanSchema() ? new MetaStore(db).get(MetaStore.INSTALLATION_ID) : Optional.empty();
        if (dbId.isEmpty()) {
            throw empty(settings, marker.get(), db.description());
        }
        String recovery = recovery(settings, marker.get());
        if (!dbId.get().equals(markerId)) {
            throw new UserFacingException("The internal database " + db.description() + " belongs to another Rowan installation ("
                    + dbId.get() + ") than this data directory (" + markerId + ", last used with " + usedDb + "). Nothing was changed." + recovery);
        }
    }

    /**
     * After migrations: records the installation id (or adopts the one in a shared database) and the
     * secret key's fingerprint, and refuses a secret key other than the one the installation began with.
     */
    public static String claim(Settings settings, InternalDatabase db) {
        MetaStore meta = new MetaStore(db);
        String id = meta.putIfAbsent(MetaStore.INSTALLATION_ID, UUID.randomUUID().toString());
        checkSecretKey(settings, meta);
        if (readMarker(settings).isEmpty()) {
            writeMarker(settings, id, db.description(), InternalDatabase.Kind.configured(settings));
        }
        return id;
    }

    private static void checkSecretKey(Settings settings, MetaStore meta) {
        String ours = SecretKeys.fingerprint(settings.get(Options.SECRET_KEY));
        String stored = meta.putIfAbsent(MetaStore.SECRET_FINGERPRINT, ours);
        if (!stored.equals(ours)) {
            throw new UserFacingException("The secret key (from " + settings.source(Options.SECRET_KEY).describe()
                    + ", fingerprint " + ours + ") is not the key this installation was set up with (fingerprint " + stored
                    + "). Rowan refuses to start, because what was encrypted with the original key could not be read. "
                    + "Put the original key back where it was set (" + Options.SECRET_KEY.envName() + " or secret.key in "
                    + settings.ownConfigFile() + "); `rowan check` shows the fingerprint of the configured key. "
                    + "If the original key is lost for good, run `rowan secret adopt` with the new key configured: "
                    + "Rowan then uses the new key, and passwords of connected databases must be entered again.");
        }
    }

    /** Accepts the configured secret key as the installation's key (the original one is lost). */
    public static void adoptSecretKey(Settings settings, InternalDatabase db) {
        new MetaStore(db).put(MetaStore.SECRET_FINGERPRINT, SecretKeys.fingerprint(settings.get(Options.SECRET_KEY)));
    }

    /** The kind recorded in the marker; markers written before it was recorded tell it by the description. */
    private static InternalDatabase.Kind usedKind(Properties marker) {
        String kind = marker.getProperty("internal.database.kind");
        if (kind != null) {
            return InternalDatabase.Kind.of(kind);
        }
        return marker.getProperty("internal.database", "").startsWith("SQLite ") ? InternalDatabase.Kind.SQLITE : InternalDatabase.Kind.URL;
    }

    private static UserFacingException empty(Settings settings, Properties marker, String configuredDb) {
        return new UserFacingException("This Rowan installation (data directory " + settings.dataDir() + ") was used with the internal database "
                + marker.getProperty("internal.database", "(not recorded)") + ", but the configured internal database " + configuredDb
                + " (" + howConfigured(settings) + ") is empty. Rowan will not start as if freshly installed. Nothing was changed."
                + recovery(settings, marker));
    }

    /** Which settings chose the configured internal database, with their sources. */
    private static String howConfigured(Settings settings) {
        if (settings.find(Options.DATABASE_URL).isPresent()) {
            return Options.DATABASE_URL.key() + " from " + settings.source(Options.DATABASE_URL).describe();
        }
        return Options.DATABASE_URL.key() + " unset, and " + Options.DATABASE_DEFAULT.key() + " = " + settings.get(Options.DATABASE_DEFAULT)
                + " from " + settings.source(Options.DATABASE_DEFAULT).describe();
    }

    /** How to get back to the database the installation used, in the settings that choose it, or to start over. */
    private static String recovery(Settings settings, Properties marker) {
        String usedDb = marker.getProperty("internal.database", "(not recorded)");
        String back = switch (usedKind(marker)) {
            case URL -> "point " + Options.DATABASE_URL.key() + " (" + Options.DATABASE_URL.envName() + ") back to " + usedDb;
            case SQLITE -> "unset " + Options.DATABASE_URL.key() + " and set " + Options.DATABASE_DEFAULT.key() + " to sqlite ("
                    + Options.DATABASE_DEFAULT.envName() + "=sqlite)";
            case BUILTIN -> "unset " + Options.DATABASE_URL.key() + " and set " + Options.DATABASE_DEFAULT.key() + " to builtin ("
                    + Options.DATABASE_DEFAULT.envName() + "=builtin)";
        };
        return " If the change was a mistake, " + back + ". To start over on purpose with the configured database, delete "
                + markerFile(settings) + " and start Rowan again (a new administrator will be set up).";
    }

    public static Path markerFile(Settings settings) {
        return settings.dataDir().resolve(MARKER_FILE);
    }

    static Optional<Properties> readMarker(Settings settings) {
        try (Reader r = Files.newBufferedReader(markerFile(settings), StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(r);
            return p.getProperty("id") == null ? Optional.empty() : Optional.of(p);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UserFacingException("Rowan cannot read " + markerFile(settings) + " (" + e.getClass().getSimpleName() + ").");
        }
    }

    private static void writeMarker(Settings settings, String id, String database, InternalDatabase.Kind kind) {
        Properties p = new Properties();
        p.setProperty("id", id);
        p.setProperty("internal.database", database);
        p.setProperty("internal.database.kind", kind.id());
        try (Writer w = Files.newBufferedWriter(markerFile(settings), StandardCharsets.UTF_8)) {
            p.store(w, "Written by Rowan: the installation this data directory belongs to, and its internal database. Do not edit.");
        } catch (IOException e) {
            throw new UserFacingException("Rowan cannot write " + markerFile(settings) + " (" + e.getClass().getSimpleName() + ").");
        }
    }
}
