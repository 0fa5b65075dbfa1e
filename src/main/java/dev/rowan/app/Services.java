package dev.rowan.app;

import dev.rowan.Version;
import dev.rowan.auth.AuthService;
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

    @Override
    public void close() {
        imports.close();
        databases.close();
        db.close();
    }
}
