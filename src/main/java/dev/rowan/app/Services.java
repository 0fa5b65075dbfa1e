package dev.rowan.app;

import dev.rowan.Problem;
import dev.rowan.Version;
import dev.rowan.auth.AuthService;
import dev.rowan.builtin.BuiltinPostgres;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.http.Backend;
import dev.rowan.internal.ColumnDisplayStore;
import dev.rowan.imports.ImportJobs;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.structure.StructureService;
import dev.rowan.records.RecordService;
import dev.rowan.userdb.UserDatabases;
import java.time.Clock;
import java.util.Optional;

/**
 * What requests need, opened in start-up order: the internal database (checked, migrated, claimed),
 * auth, then the user databases (whose Rowan schemas are checked and upgraded in the background).
 */
record Services(InternalDatabase db, AuthService auth, UserDatabases databases, boolean adminBootstrapped, StructureService structure,
                RecordService records, ImportJobs imports) implements Backend, AutoCloseable {

    static Services open(Settings settings) {
        Installation.checkKind(settings);
        InternalDatabase db = InternalDatabase.open(settings);
        try {
            Installation.checkDatabase(settings, db);
            db.migrate(Version.current());
            Installation.claim(settings, db);
            AuthService auth = new AuthService(db, settings, Clock.systemUTC());
            boolean bootstrapped = settings.find(Options.ADMIN_USERNAME)
                    .map(user -> auth.bootstrapAdmin(user, settings.get(Options.ADMIN_PASSWORD)))
                    .orElse(false);
            UserDatabases databases = new UserDatabases(db, settings, Version.current());
            databases.upgradeAllInBackground();
            return new Services(db, auth, databases, bootstrapped, new StructureService(databases, new ColumnDisplayStore(db)),
                    new RecordService(databases, settings.get(Options.RECORDS_EXACT_COUNT_LIMIT)), new ImportJobs(db, databases, settings.dataDir()));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** What /health/ready answers while Rowan's own database cannot be used. */
    static final Problem NOT_READY = new Problem(503, "not_ready", "Rowan is not ready",
            "The internal database is not reachable or not migrated.", "See Rowan's log.");

    /**
     * Why this instance should not get requests now, if it should not: its internal database cannot be used, or
     * the built-in server died and is being restarted (its databases answer 503 meanwhile; Rowan restarts it).
     */
    Optional<Problem> notReady() {
        Optional<BuiltinPostgres.Outage> outage = databases.builtinOutage();
        if (outage.isPresent()) {
            return Optional.of(new Problem(503, "not_ready", "Rowan is not ready", outage.get().summary(),
                    "Rowan restarts it by itself and is ready again when it is back; see Rowan's log."));
        }
        return db.isReady() ? Optional.empty() : Optional.of(NOT_READY);
    }

    @Override
    public void close() {
        imports.close();
        databases.close();
        db.close();
    }
}
