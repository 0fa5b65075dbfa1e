package dev.rowan.userdb;

import com.zaxxer.hikari.HikariDataSource;
import dev.rowan.postgres.Identifiers;
import dev.rowan.Problem;
import dev.rowan.UserFacingException;
import dev.rowan.builtin.BuiltinPostgres;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.internal.DatabaseStore;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.internal.MetaStore;
import dev.rowan.internal.StoredDatabase;
import dev.rowan.migrations.Migrations;
import dev.rowan.postgres.PostgresErrors;
import dev.rowan.postgres.SqlProblems;
import dev.rowan.secret.CredentialCipher;
import dev.rowan.secret.SecretKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user databases Rowan manages: connecting (preflight, encrypted credentials, Rowan schemas),
 * creating new ones on the built-in server, their status, and removal without data loss.
 */
public final class UserDatabases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserDatabases.class);
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._'()-]{1,100}");

    /** What the databases page shows for one database. */
    public record View(long id, String name, String status, Integer schemaVersion, boolean builtin, String location,
                       Map<String, String> problem) {
    }

    private final DatabaseStore store;
    private final MetaStore meta;
    private final CredentialCipher cipher;
    private final BuiltinPostgres builtin;
    /** True when the built-in server holds the internal database too: it then keeps its own password and its own lifetime. */
    private final boolean builtinHoldsInternal;
    private final Pools pools = new Pools();
    /**
     * Status checks wait on the network (up to the connect timeout each); they run here, one thread per
     * database at most, rather than in the common pool, which has a single thread on a 2-core machine.
     */
    private final ExecutorService checkers = Executors.newCachedThreadPool(runnable -> {
        Thread t = new Thread(runnable, "rowan-database-check");
        t.setDaemon(true);
        return t;
    });
    private final Preflight preflight;
    private final RowanSchema schema = new RowanSchema();
    private final String rowanVersion;

    public UserDatabases(InternalDatabase internal, Settings settings, String rowanVersion) {
        this.store = new DatabaseStore(internal);
        this.meta = new MetaStore(internal);
        this.cipher = new CredentialCipher(settings.get(Options.SECRET_KEY));
        this.builtinHoldsInternal = internal.builtinServer().isPresent();
        this.builtin = internal.builtinServer().orElseGet(() -> new BuiltinPostgres(settings.dataDir(), this::builtinPassword));
        this.preflight = new Preflight();
        this.rowanVersion = rowanVersion;
    }

    /**
     * The built-in superuser's password: stored encrypted, created the first time the server is needed; or
     * the server's own, when it holds the internal database (which cannot keep the password that protects it).
     */
    private String readBuiltinPassword() throws CredentialCipher.Unreadable {
        if (builtinHoldsInternal) {
            return builtin.superuserPassword();
        }
        String sealed = meta.get(MetaStore.BUILTIN_PASSWORD).orElse(null);
        if (sealed == null) {
            sealed = meta.putIfAbsent(MetaStore.BUILTIN_PASSWORD, cipher.encrypt(SecretKeys.generate(), MetaStore.BUILTIN_PASSWORD));
        }
        return cipher.decrypt(sealed, MetaStore.BUILTIN_PASSWORD);
    }

    /** The same, where an unreadable password can only stop what is being done (starting the server, creating a database). */
    private String builtinPassword() {
        try {
            return readBuiltinPassword();
        } catch (CredentialCipher.Unreadable e) {
            throw new UserFacingException("The built-in PostgreSQL server's password cannot be decrypted: " + e.getMessage()
                    + ". Put the original secret key back (see `rowan check`).");
        }
    }

    /**
     * At start, in the background: the built-in server starts when a database uses it, and the Rowan
     * schemas of every database are upgraded where older. Problems only mark the database concerned.
     */
    public CompletableFuture<Void> upgradeAllInBackground() {
        return CompletableFuture.runAsync(() -> {
            for (StoredDatabase d : store.list()) {
                View v = check(d);
                if (!v.status().equals("ready")) {
                    LOG.warn("Database \"{}\": {}: {}", d.name(), v.status(), v.problem() == null ? "" : v.problem().get("detail"));
                }
            }
        }, checkers);
    }

    public PreflightResult test(ConnectionSpec spec) {
        return preflight.run(spec);
    }

    /**
     * Connects an existing database. With {@code createMissing}, a database that does not exist yet is
     * created first when the user may (the preflight says so), then checked again.
     */
    public View connect(String name, ConnectionSpec spec, boolean createMissing) {
        checkName(name);
        PreflightResult result = preflight.run(spec);
        if (!result.ok() && createMissing && result.code() == PreflightCode.DATABASE_MISSING && result.canCreateDatabase()) {
            createDatabase(spec);
            result = preflight.run(spec);
        }
        if (!result.ok()) {
            throw preflightProblem(result);
        }
        try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), spec.properties(10))) {
            schema.install(c, rowanVersion);
        } catch (Migrations.NewerSchemaException e) {
            // connect it anyway: it is shown as needing a newer Rowan and left untouched
            LOG.info("Database {} has Rowan schema version {} from Rowan {}", spec.describe(), e.version, e.rowanVersion);
        } catch (SQLException e) {
            throw new Problem(422, "schema_install_failed", "Rowan could not install its schemas",
                    "Installing the Rowan schemas in " + spec.describe() + " failed: " + PostgresErrors.firstLine(e.getMessage()) + ". Nothing was changed.",
                    "Check that the user owns the database or holds CREATE on it.");
        }
        StoredDatabase stored = store.insert(name.strip(), false, spec.host(), spec.port(), spec.database(), spec.user(), spec.sslMode(),
                d -> spec.password() == null ? null : cipher.encrypt(spec.password(), d.credentialContext()), System.currentTimeMillis());
        return check(stored);
    }

    /** CREATE DATABASE as the connecting user, from the maintenance database (postgres, else template1). */
    private static void createDatabase(ConnectionSpec spec) {
        SQLException last = null;
        for (String maintenance : List.of("postgres", "template1")) {
            ConnectionSpec admin = spec.withDatabase(maintenance);
            try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.properties(10)); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + Identifiers.quote(spec.database()));
                return;
            } catch (SQLException e) {
                last = e;
                if ("42P04".equals(e.getSQLState())) {
                    return; // created meanwhile by someone else: fine
                }
            }
        }
        throw new Problem(422, "create_database_failed", "The database could not be created",
                "Creating \"" + spec.database() + "\" on " + spec.host() + ":" + spec.port() + " failed: " + PostgresErrors.firstLine(last.getMessage()) + ".",
                "Create it on the server yourself, then connect again.");
    }

    /** Creates a new database on the built-in server (started now if needed), with the sample data if asked. */
    public View createBuiltin(String name, boolean sample) {
        checkName(name);
        int port;
        try {
            port = builtin.start();
        } catch (UserFacingException e) {
            // a server being restarted can run here: "connect another database instead" would be the wrong advice
            throw builtin.outage().map(UserDatabases::restarting).orElseGet(() -> new Problem(503, "builtin_unavailable",
                    "The built-in PostgreSQL server cannot run here", e.getMessage(), "Connect an existing PostgreSQL database instead."));
        }
        ConnectionSpec admin = builtinSpec(port, "postgres");
        String databaseName = freeDatabaseName(admin, name);
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.properties(10)); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + Identifiers.quote(databaseName));
        } catch (SQLException e) {
            throw new Problem(500, "create_database_failed", "The database could not be created",
                    "Creating " + databaseName + " on the built-in server failed: " + PostgresErrors.firstLine(e.getMessage()) + ".", null);
        }
        ConnectionSpec spec = builtinSpec(port, databaseName);
        try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), spec.properties(10))) {
            schema.install(c, rowanVersion);
            if (sample) {
                loadSample(c);
            }
        } catch (SQLException | RuntimeException e) {
            dropQuietly(admin, databaseName);
            throw new Problem(500, "create_database_failed", "The database could not be set up",
                    "Setting up " + databaseName + " failed: " + PostgresErrors.firstLine(e.getMessage()) + ". It was removed again.", null);
        }
        StoredDatabase stored = store.insert(name.strip(), true, null, null, databaseName, null, null, d -> null, System.currentTimeMillis());
        return check(stored);
    }

    private static void loadSample(Connection c) throws SQLException {
        String sql;
        try (InputStream in = UserDatabases.class.getResourceAsStream("/db/sample/bookshop.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the sample dataset is missing from the jar", e);
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void dropQuietly(ConnectionSpec admin, String databaseName) {
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.properties(10)); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(databaseName));
        } catch (SQLException e) {
            LOG.warn("Could not drop the half-created database {}: {}", databaseName, e.getMessage());
        }
    }

    /** A database name for the built-in server derived from the display name: rowan_sales, rowan_sales_2, … */
    private static String freeDatabaseName(ConnectionSpec admin, String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        String base = "rowan_" + (slug.isEmpty() ? "db" : slug.substring(0, Math.min(slug.length(), 40)));
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.properties(10));
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            for (int i = 1; ; i++) {
                String candidate = i == 1 ? base : base + "_" + i;
                ps.setString(1, candidate);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return candidate;
                    }
                }
            }
        } catch (SQLException e) {
            throw new Problem(503, "builtin_unavailable", "The built-in PostgreSQL server does not answer",
                    PostgresErrors.firstLine(e.getMessage()), "See Rowan's log.");
        }
    }

    private ConnectionSpec builtinSpec(int port, String database) {
        return new ConnectionSpec("localhost", port, database, BuiltinPostgres.SUPERUSER, builtinPassword(), "disable");
    }

    public List<View> list() {
        List<CompletableFuture<View>> checks = store.list().stream().map(d -> CompletableFuture.supplyAsync(() -> check(d), checkers)).toList();
        return checks.stream().map(CompletableFuture::join).toList();
    }

    public View get(long id) {
        return check(find(id));
    }

    /** Refuses an id Rowan manages no database under (404 database_not_found), without connecting to anything. */
    public void require(long id) {
        find(id);
    }

    private StoredDatabase find(long id) {
        return store.find(id).orElseThrow(() -> new Problem(404, "database_not_found", "No such database",
                "Rowan manages no database with id " + id + ".", null));
    }

    /**
     * How to reach a connected database, password decrypted, for in-process tests that check a
     * database with their own connection (never sent over HTTP or logged).
     */
    public ConnectionSpec connectionSpec(long id) {
        try {
            return spec(find(id));
        } catch (CredentialCipher.Unreadable e) {
            throw new IllegalStateException("the credentials of database " + id + " cannot be read with this secret key", e);
        }
    }

    /** How to reach a stored database, decrypting its password; the built-in server is started if needed. */
    private ConnectionSpec spec(StoredDatabase d) throws CredentialCipher.Unreadable {
        if (d.builtin()) {
            String password = readBuiltinPassword(); // unreadable: the database shows credentials_unreadable
            return new ConnectionSpec("localhost", builtin.start(), d.databaseName(), BuiltinPostgres.SUPERUSER, password, "disable");
        }
        String password = d.passwordEncrypted() == null ? null : cipher.decrypt(d.passwordEncrypted(), d.credentialContext());
        return new ConnectionSpec(d.host(), d.port(), d.databaseName(), d.username(), password, d.sslMode());
    }

    private String location(StoredDatabase d) {
        return d.builtin() ? "built-in server: " + d.databaseName()
                : d.username() + "@" + (d.host().contains(":") ? "[" + d.host() + "]" : d.host()) + ":" + d.port() + "/" + d.databaseName();
    }

    /** Connects, upgrades the Rowan schemas where older, and says how the database is. */
    private View check(StoredDatabase d) {
        Optional<BuiltinPostgres.Outage> outage = outageOf(d);
        if (outage.isPresent()) {
            return view(d, "restarting", null, "The built-in PostgreSQL server is restarting", outage.get().describe(),
                    "Its databases answer again when it is back, usually within seconds; nothing acknowledged was lost.");
        }
        ConnectionSpec spec;
        try {
            spec = spec(d);
        } catch (CredentialCipher.Unreadable e) {
            return view(d, "credentials_unreadable", null, "Credentials cannot be decrypted: the secret key changed",
                    "The stored password of this database cannot be read (" + e.getMessage() + ").",
                    "Put the original secret key back (`rowan check` shows its fingerprint), or remove this database "
                            + "from Rowan (keeping its schemas) and connect it again with its password.");
        } catch (UserFacingException e) {
            return view(d, "unreachable", null, "The built-in PostgreSQL server cannot run", e.getMessage(), null);
        }
        // A pooled connection may have died with the server: then one fresh attempt tells the real reason.
        for (int attempt = 1; attempt <= 2; attempt++) {
            Connection c;
            try {
                c = pools.get(d.id(), spec).getConnection();
            } catch (SQLException pooled) {
                // The pool may still be backing off after an outage: a direct connection tells how it is now.
                try {
                    c = DriverManager.getConnection(spec.jdbcUrl(), spec.properties(3));
                } catch (SQLException e) {
                    return view(d, "unreachable", null, "The database cannot be reached",
                            "Rowan cannot connect to " + location(d) + ": " + reason(e, spec) + ".",
                            "Rowan keeps trying; the database recovers by itself when it is back.");
                }
            }
            try (Connection open = c) {
                try {
                    schema.install(open, rowanVersion);
                    return view(d, "ready", schema.status(open).installedVersion(), null, null, null);
                } catch (Migrations.NewerSchemaException e) {
                    return view(d, "needs_newer_rowan", e.version, "Needs a newer Rowan",
                            "Its Rowan schemas (version " + e.version + ") were installed by Rowan " + e.rowanVersion
                                    + "; this Rowan knows up to version " + e.latestKnown + ". They were left untouched.",
                            "Upgrade Rowan to use this database.");
                } catch (SQLException e) {
                    if (attempt < 2 && (isConnectionLost(e) || !isValid(open))) {
                        continue;
                    }
                    return view(d, "upgrade_failed", null, "The Rowan schemas could not be upgraded",
                            PostgresErrors.firstLine(e.getMessage()), "See Rowan's log; nothing was changed in the database.");
                }
            } catch (SQLException closing) {
                // closing a broken connection failed: the next attempt starts afresh
            }
        }
        return view(d, "unreachable", null, "The database cannot be reached",
                "The connection to " + location(d) + " broke twice while Rowan checked it.", "Rowan keeps trying.");
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Why a connection failed, in words: the pool's own message is replaced by the underlying cause. */
    private static String reason(SQLException e, ConnectionSpec spec) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return PostgresErrors.explain(cause, new PostgresErrors.Where(spec.host(), spec.port(), spec.database(), spec.user(),
                spec.password() != null, spec.sslMode(), 3)).reason();
    }

    private View view(StoredDatabase d, String status, Integer version, String title, String detail, String hint) {
        Map<String, String> problem = null;
        if (title != null) {
            problem = new LinkedHashMap<>();
            problem.put("title", title);
            problem.put("detail", detail);
            if (hint != null) problem.put("hint", hint);
        }
        return new View(d.id(), d.name(), status, version, d.builtin(), location(d), problem);
    }

    /** A pooled connection to a user database; a database that is down answers 503 naming it. */
    public Connection connection(long id) {
        return connection(find(id));
    }

    private Connection connection(StoredDatabase d) {
        // said at once: the pool would wait for its connection timeout, and the server's start (while a restart
        // holds it) for the restart, before answering what is already known
        outageOf(d).ifPresent(outage -> {
            throw restarting(outage);
        });
        try {
            HikariDataSource pool = pools.find(d.id());
            return (pool != null ? pool : pools.get(d.id(), spec(d))).getConnection();
        } catch (CredentialCipher.Unreadable e) {
            throw new Problem(503, "credentials_unreadable", "Credentials cannot be decrypted: the secret key changed",
                    "The stored password of \"" + d.name() + "\" cannot be read.", "Put the original secret key back, or connect the database again.");
        } catch (UserFacingException e) {
            // read once: the restart may end between two reads of the outage
            Optional<BuiltinPostgres.Outage> outage = outageOf(d);
            if (outage.isPresent()) {
                throw restarting(outage.get());
            }
            throw new Problem(503, "builtin_unavailable", "The built-in PostgreSQL server cannot run", e.getMessage(),
                    "The rest of Rowan keeps working; see Rowan's log.");
        } catch (SQLException e) {
            throw unavailable(d, e);
        }
    }

    private static Problem restarting(BuiltinPostgres.Outage outage) {
        return new Problem(503, "builtin_restarting", "The built-in PostgreSQL server is restarting", outage.describe(),
                "Retry in a few seconds; nothing that Rowan acknowledged was lost.");
    }

    /** Present while the built-in server died and is being restarted (what /health/ready reports). */
    public Optional<BuiltinPostgres.Outage> builtinOutage() {
        return builtin.outage();
    }

    /** Work on one user database's connection; what PostgreSQL raises is turned into a problem by the caller's rules. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs work on a pooled connection to the database. A lost connection is a 503 naming the
     * database; any other error PostgreSQL raises becomes a problem through {@link SqlProblems}.
     * The connection goes back to the pool in autocommit mode whatever the work did.
     */
    public <T> T withConnection(long id, Work<T> work) {
        StoredDatabase d = find(id);
        try (Connection c = connection(d)) {
            try {
                return work.run(c);
            } catch (Problem p) {
                // The work explained PostgreSQL's error itself; a connection that died under it is still an outage.
                if (p.status() >= 500 && !isValid(c)) {
                    throw unavailable(d, p.detail().replaceFirst("\\.$", ""));
                }
                throw p;
            } catch (SQLException e) {
                // The pool closes a connection it saw fail for good, and answers every later call on it with
                // "Connection is closed" and no SQLSTATE: work that caught the first failure and tried again ends here.
                if (!isConnectionLost(e) && !isValid(c)) {
                    throw unavailable(d, "the connection broke during the request");
                }
                throw e;
            } finally {
                if (!c.isClosed() && !c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            if (isConnectionLost(e)) {
                throw unavailable(d, e);
            }
            throw SqlProblems.of(e);
        }
    }

    private Problem unavailable(StoredDatabase d, SQLException e) {
        // the outage first: spec(d) would wait for a restart under way to end
        return outageOf(d).map(UserDatabases::restarting).orElseGet(() -> {
            String why;
            try {
                why = reason(e, spec(d));
            } catch (CredentialCipher.Unreadable | RuntimeException ignored) {
                why = PostgresErrors.firstLine(e.getMessage());
            }
            return unavailable(d, why);
        });
    }

    private Problem unavailable(StoredDatabase d, String why) {
        return outageOf(d).map(UserDatabases::restarting).orElseGet(() -> new Problem(503, "database_unavailable",
                "The database \"" + d.name() + "\" is unavailable", "Rowan cannot reach " + location(d) + ": " + why + ".",
                "The rest of Rowan keeps working; retry when the database is back."));
    }

    /** The outage of the built-in server while it is being restarted, for a database on it; empty for others. */
    private Optional<BuiltinPostgres.Outage> outageOf(StoredDatabase d) {
        return d.builtin() ? builtin.outage() : Optional.empty();
    }

    public List<ColumnUse> removalPreview(long id) {
        StoredDatabase d = find(id);
        try (Connection c = connection(d)) {
            return schema.removalPreview(c);
        } catch (SQLException e) {
            throw unavailable(d, e);
        }
    }

    /**
     * Removes a database from Rowan: its columns of Rowan types go back to their base types, the Rowan
     * schemas are dropped (unless kept), then Rowan forgets the database. Its data stays where it is.
     */
    public void remove(long id, boolean keepSchemas) {
        StoredDatabase d = find(id);
        if (!keepSchemas) {
            try (Connection c = connection(d)) {
                schema.remove(c, false);
            } catch (RemovalRefusedException e) {
                throw new Problem(409, "removal_blocked", "Other objects depend on Rowan's schemas", e.getMessage(),
                        "Drop or change those objects first, or remove the database with its Rowan schemas kept. Nothing was changed.");
            } catch (SQLException e) {
                throw unavailable(d, e);
            }
        }
        pools.close(d.id());
        store.delete(d.id());
        if (d.builtin() && !builtinHoldsInternal && store.list().stream().noneMatch(StoredDatabase::builtin)) {
            builtin.close();
        }
    }

    private void checkName(String name) {
        if (name == null || !NAME.matcher(name.strip()).matches()) {
            throw new Problem(422, "invalid_name", "This name cannot be used",
                    "A database's name in Rowan is 1 to 100 letters, digits, spaces or . _ ' ( ) -.", null);
        }
        if (store.nameTaken(name.strip())) {
            throw new Problem(409, "name_taken", "The name is taken", "Rowan already has a database named \"" + name.strip() + "\".",
                    "Choose another name.");
        }
    }

    private static Problem preflightProblem(PreflightResult r) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("checks", checks(r));
        extensions.put("canCreateDatabase", r.canCreateDatabase());
        return new Problem(422, r.code().code(), r.title(), r.detail(), r.hint(), Map.of(), extensions);
    }

    /** A failed test as a problem document (code, title, detail, hint, checks). */
    public static Problem asProblem(PreflightResult r) {
        return preflightProblem(r);
    }

    /** The checks as the API shows them: {name, label, ok (true, false, or null when not reached), message}. */
    public static List<Map<String, Object>> checks(PreflightResult r) {
        return r.checks().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.id());
            m.put("label", c.label());
            m.put("ok", c.status() == PreflightCheck.Status.SKIPPED ? null : c.status() == PreflightCheck.Status.PASSED);
            m.put("message", c.detail());
            return m;
        }).toList();
    }

    /** Connection-level failures (SQLState class 08, or the server shutting down) rather than a failing statement. */
    private static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.startsWith("57P");
    }

    @Override
    public void close() {
        checkers.shutdownNow();
        try {
            // A status check under way finishes first (its connection attempts time out in seconds), rather than failing on a closed pool.
            checkers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pools.close();
        if (!builtinHoldsInternal) {
            builtin.close();
        }
    }
}
