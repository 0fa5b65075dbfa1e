package dev.rowan.cli;

import dev.rowan.UserFacingException;
import dev.rowan.Version;
import dev.rowan.app.Installation;
import dev.rowan.config.Settings;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.migrations.Migrations;

/** Opens the internal database of an installation that has been started before, for maintenance commands. */
final class ExistingInstallation {
    private ExistingInstallation() {
    }

    static InternalDatabase open(Settings settings) {
        Installation.checkKind(settings);
        InternalDatabase db = InternalDatabase.open(settings, false);
        try {
            Installation.checkDatabase(settings, db);
            InternalDatabase.MigrationStatus status = db.status();
            if (status.isNewer()) {
                throw new UserFacingException("The internal database " + db.description() + " " + Migrations.whoWroteIt(status.newerVersion(),
                        status.newerWrittenBy(), status.latestKnownVersion(), Version.current()) + ".");
            }
            if (status.currentVersion() == 0 || status.pending() > 0) {
                throw new UserFacingException("The internal database " + db.description()
                        + " is not set up to date yet. Start Rowan once (`rowan serve`), then run this command again.");
            }
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
