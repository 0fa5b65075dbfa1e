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

    /** Before anything is written to the internal database: is it the one this data directory was used with? */
    public static void checkDatabase(Settings settings, InternalDatabase db) {
        Optional<Properties> marker = readMarker(settings);
        if (marker.isEmpty()) {
            return;
        }
        String markerId = marker.get().getProperty("id");
        String usedDb = marker.get().getProperty("internal.database", "(not recorded)");
        Optional<String> dbId = db.hasRowanSchema() ? new MetaStore(db).get(MetaStore.INSTALLATION_ID) : Optional.empty();
        String recovery = " If the change was a mistake, point " + Options.DATABASE_URL.key() + " back to " + usedDb
                + ". To start over on purpose with the configured database, delete " + markerFile(settings)
                + " and start Rowan again (a new administrator will be set up).";
        if (dbId.isEmpty()) {
            throw new UserFacingException("This Rowan installation (data directory " + settings.dataDir() + ") was used with the internal database "
                    + usedDb + ", but the configured internal database " + db.description() + " (from "
                    + settings.source(Options.DATABASE_URL).describe() + ") is empty. Rowan will not start as if freshly installed. "
                    + "Nothing was changed." + recovery);
        }
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
            writeMarker(settings, id, db.description());
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

    private static void writeMarker(Settings settings, String id, String database) {
        Properties p = new Properties();
        p.setProperty("id", id);
        p.setProperty("internal.database", database);
        try (Writer w = Files.newBufferedWriter(markerFile(settings), StandardCharsets.UTF_8)) {
            p.store(w, "Written by Rowan: the installation this data directory belongs to, and its internal database. Do not edit.");
        } catch (IOException e) {
            throw new UserFacingException("Rowan cannot write " + markerFile(settings) + " (" + e.getClass().getSimpleName() + ").");
        }
    }
}
