package dev.rowan.cli;

import dev.rowan.UserFacingException;
import dev.rowan.Version;
import dev.rowan.app.DataDirectory;
import dev.rowan.app.Installation;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.internal.MetaStore;
import dev.rowan.secret.SecretKeys;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check configuration, data directory, internal database, migrations, secret key and Java without starting "
                + "or changing anything.", "Exits with status 1 when something would stop Rowan from starting."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private boolean failed;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        out.println("Rowan " + Version.current() + " check");
        int feature = Runtime.version().feature();
        report(feature >= 17 ? "ok" : "FAIL", "Java " + Runtime.version() + (feature >= 17 ? "" : ": Rowan needs Java 17 or newer"));
        Settings settings;
        try {
            settings = ConfigFlags.resolve(spec);
            report("ok", "configuration: " + settings.all().size() + " settings resolved (`rowan config show` lists them)");
        } catch (UserFacingException e) {
            report("FAIL", e.getMessage());
            return finish();
        }
        String dirProblem = DataDirectory.problem(settings);
        report(dirProblem == null ? "ok" : "FAIL", "data directory " + settings.dataDir()
                + (dirProblem == null ? (Files.isDirectory(settings.dataDir()) ? " is writable" : " will be created at first start") : ": " + dirProblem));
        Optional<String> key = settings.find(Options.SECRET_KEY);
        if (key.isEmpty()) {
            report("ok", "secret key: none yet; one is generated at first start");
        }
        try {
            Installation.checkKind(settings);
        } catch (UserFacingException e) {
            report("FAIL", e.getMessage());
            return finish();
        }
        if (!InternalDatabase.existsLocally(settings)) {
            report("ok", "internal database " + InternalDatabase.describe(settings) + " will be created at first start");
            return finish();
        }
        // The built-in server is joined when Rowan runs, else started for the check and stopped again.
        try (InternalDatabase db = InternalDatabase.open(settings, false)) {
            report("ok", "internal database " + db.description() + " is reachable");
            checkDatabase(settings, db, key);
        } catch (UserFacingException e) {
            report("FAIL", e.getMessage());
        }
        return finish();
    }

    private void checkDatabase(Settings settings, InternalDatabase db, Optional<String> key) {
        try {
            Installation.checkDatabase(settings, db);
        } catch (UserFacingException e) {
            report("FAIL", e.getMessage());
            return;
        }
        InternalDatabase.MigrationStatus status = db.status();
        if (status.isNewer()) {
            report("FAIL", "migrations: the internal database has schema version " + status.newerVersion()
                    + ", written by Rowan " + status.newerWrittenBy() + "; this Rowan knows up to " + status.latestKnownVersion());
            return;
        }
        if (status.currentVersion() == 0) {
            report("ok", "migrations: the internal database is empty; Rowan sets it up at first start");
        } else if (status.pending() > 0) {
            report("ok", "migrations: schema version " + status.currentVersion() + ", " + status.pending()
                    + " migration(s) will run at the next start");
        } else {
            report("ok", "migrations: schema version " + status.currentVersion() + ", up to date");
        }
        if (key.isPresent()) {
            String ours = SecretKeys.fingerprint(key.get());
            Optional<String> stored = status.currentVersion() == 0 ? Optional.empty() : new MetaStore(db).get(MetaStore.SECRET_FINGERPRINT);
            if (stored.isEmpty()) {
                report("ok", "secret key: fingerprint " + ours + " (from " + settings.source(Options.SECRET_KEY).describe() + ")");
            } else if (stored.get().equals(ours)) {
                report("ok", "secret key: fingerprint " + ours + " matches the installation");
            } else {
                report("FAIL", "secret key: fingerprint " + ours + " (from " + settings.source(Options.SECRET_KEY).describe()
                        + ") differs from the installation's key " + stored.get() + "; put the original key back, "
                        + "or run `rowan secret adopt` if it is lost for good");
            }
        }
    }

    private void report(String status, String message) {
        if (status.equals("FAIL")) failed = true;
        out.printf("  %-4s  %s%n", status, message);
    }

    private int finish() {
        out.println(failed ? "Problems found: Rowan would not start as configured." : "All checks passed.");
        out.flush();
        return failed ? 1 : 0;
    }
}
