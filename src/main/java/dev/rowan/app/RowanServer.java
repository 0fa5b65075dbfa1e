package dev.rowan.app;

import dev.rowan.LoggingSetup;
import dev.rowan.Version;
import dev.rowan.config.Options;
import dev.rowan.config.Setting;
import dev.rowan.config.Settings;
import dev.rowan.config.Source;
import dev.rowan.http.WebServer;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.secret.SecretKeys;
import dev.rowan.userdb.UserDatabases;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A running Rowan. {@link #start} is the start-up flow: data directory, secret key, then the internal
 * database (checked, migrated, claimed; see {@link Services#open}) alongside HTTP, then the report.
 */
public final class RowanServer implements AutoCloseable {
    private final Services services;
    private final WebServer web;
    private final String baseUrl;
    private final String setupLink;

    private RowanServer(Services services, WebServer web, String baseUrl, String setupLink) {
        this.services = services;
        this.web = web;
        this.baseUrl = baseUrl;
        this.setupLink = setupLink;
    }

    public static RowanServer start(Settings configured, PrintStream console) {
        LoggingSetup.logUncaughtErrors();
        DataDirectory.prepare(configured);
        Installation.refuseNewKeyIfUsed(configured);
        Settings settings = SecretKeys.ensure(configured);
        // The database opens and migrates on its own thread while the HTTP server starts: two cores, half the wait.
        CompletableFuture<Services> opening = CompletableFuture.supplyAsync(() -> Services.open(settings),
                runnable -> new Thread(runnable, "rowan-startup").start());
        WebServer web;
        try {
            web = WebServer.start(settings, opening::join,
                    () -> opening.isDone() && !opening.isCompletedExceptionally() ? opening.join().notReady() : Optional.of(Services.NOT_READY));
        } catch (RuntimeException e) {
            // Wait for the database side to finish opening and close it, so nothing still writes to the
            // data directory (internal database, import folder) after start-up has failed.
            try {
                opening.join().close();
            } catch (RuntimeException openingFailedToo) {
                e.addSuppressed(openingFailedToo);
            }
            throw e;
        }
        Services services;
        try {
            services = opening.join();
        } catch (CompletionException e) {
            web.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        String baseUrl = settings.find(Options.PUBLIC_URL).map(Object::toString).orElse("http://localhost:" + web.port());
        String setupLink = services.auth().setupRequired() ? baseUrl + "/setup?token=" + services.auth().issueSetupToken() : null;
        printReport(console, settings, services.db(), baseUrl, setupLink, services.adminBootstrapped());
        return new RowanServer(services, web, baseUrl, setupLink);
    }

    private static void printReport(PrintStream out, Settings settings, InternalDatabase db, String baseUrl,
                                    String setupLink, boolean bootstrapped) {
        out.println("Rowan " + Version.current() + " is running.");
        out.println("  URL:               " + baseUrl);
        out.println("  Data directory:    " + settings.dataDir());
        out.println("  Internal database: " + db.description());
        Setting<String> key = settings.setting(Options.SECRET_KEY);
        out.println("  Secret key:        fingerprint " + SecretKeys.fingerprint(key.value()) + ", "
                + (key.source().kind() == Source.Kind.GENERATED ? "generated now and stored in " + key.source().where()
                : "from " + key.source().describe()));
        boolean first = true;
        for (Setting<?> s : settings.all()) {
            if (s.source().kind() == Source.Kind.DEFAULT || s.source().kind() == Source.Kind.GENERATED
                    || s.option() == Options.SECRET_KEY || !s.isSet()) {
                continue;
            }
            out.println((first ? "  Settings:          " : "                     ") + s.option().key() + " = "
                    + s.displayText() + "  (" + s.source().describe() + ")");
            first = false;
        }
        if (bootstrapped) {
            out.println("The administrator \"" + settings.get(Options.ADMIN_USERNAME) + "\" was created from "
                    + settings.source(Options.ADMIN_USERNAME).describe() + ".");
        }
        if (setupLink != null) {
            out.println();
            out.println("Open this one-time link to create the administrator account:");
            out.println("  " + setupLink);
        }
        out.flush();
    }

    /** Every HTTP route as "METHOD /path". */
    public List<String> routes() {
        return web.routes();
    }

    public int port() {
        return web.port();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The connected databases, for in-process tests that check them with their own SQL. */
    public UserDatabases databases() {
        return services.databases();
    }

    /** The setup link printed at start, or null when an administrator already existed. */
    public String setupLink() {
        return setupLink;
    }

    @Override
    public void close() {
        web.close();
        services.close();
    }
}
