package dev.rowan.app;

import dev.rowan.Version;
import dev.rowan.auth.AuthService;
import dev.rowan.config.Options;
import dev.rowan.config.Setting;
import dev.rowan.config.Settings;
import dev.rowan.config.Source;
import dev.rowan.http.WebServer;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.secret.SecretKeys;
import java.io.PrintStream;
import java.time.Clock;

/**
 * A running Rowan. {@link #start} is the start-up flow, one step per line: data directory, secret key,
 * internal database and its migrations, the installation check, the administrator, HTTP.
 */
public final class RowanServer implements AutoCloseable {
    private final InternalDatabase db;
    private final WebServer web;
    private final String baseUrl;
    private final String setupLink;

    private RowanServer(InternalDatabase db, WebServer web, String baseUrl, String setupLink) {
        this.db = db;
        this.web = web;
        this.baseUrl = baseUrl;
        this.setupLink = setupLink;
    }

    public static RowanServer start(Settings configured, PrintStream console) {
        DataDirectory.prepare(configured);
        Settings settings = SecretKeys.ensure(configured);
        InternalDatabase db = InternalDatabase.open(settings);
        try {
            Installation.checkDatabase(settings, db);
            db.migrate(Version.current());
            Installation.claim(settings, db);
            AuthService auth = new AuthService(db, settings, Clock.systemUTC());
            boolean bootstrapped = settings.find(Options.ADMIN_USERNAME)
                    .map(user -> auth.bootstrapAdmin(user, settings.get(Options.ADMIN_PASSWORD)))
                    .orElse(false);
            WebServer web = WebServer.start(settings, db, auth);
            String baseUrl = settings.find(Options.PUBLIC_URL).map(Object::toString)
                    .orElse("http://localhost:" + web.port());
            String setupLink = auth.setupRequired() ? baseUrl + "/setup?token=" + auth.issueSetupToken() : null;
            printReport(console, settings, db, baseUrl, setupLink, bootstrapped);
            return new RowanServer(db, web, baseUrl, setupLink);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
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

    public int port() {
        return web.port();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The setup link printed at start, or null when an administrator already existed. */
    public String setupLink() {
        return setupLink;
    }

    @Override
    public void close() {
        web.close();
        db.close();
    }
}
