package dev.rowan.userdb;

import dev.rowan.postgres.Identifiers;
import dev.rowan.postgres.PostgresErrors;
import dev.rowan.postgres.PostgresErrors.Explanation;
import dev.rowan.postgres.PostgresErrors.Kind;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Tries a user database for real before Rowan saves it, so a person learns at once, and in words
 * they can act on, why it would not work — instead of a stored connection that fails later. It
 * walks the same way a connection does (name, TCP, sign-in, database) and then checks what Rowan
 * will need: CREATE on the database for its schemas, and a PostgreSQL major it supports.
 *
 * <p>Every connection problem becomes a {@link PreflightResult}; nothing here throws for one. No
 * text it produces contains the password.
 */
public final class Preflight {
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
    public static final int OLDEST_SUPPORTED_MAJOR = 15;
    public static final int NEWEST_SUPPORTED_MAJOR = 18;
    /** The page that explains localhost from a container, named in the hint. */
    public static final String LOCALHOST_DOC = "docs/connecting-to-localhost.md";

    private static final Set<String> SSL_REQUIRED = Set.of("require", "verify-ca", "verify-full");
    private static final int SSL_REQUEST_CODE = 80877103;
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");
    private static final Set<PreflightCode> CONNECTION_FAILURES =
            Set.of(PreflightCode.UNREACHABLE, PreflightCode.AUTH_FAILED, PreflightCode.DATABASE_MISSING, PreflightCode.SSL_ERROR);
    /** The JDK cannot time out a name lookup, so it runs here and the caller stops waiting. */
    private static final ExecutorService RESOLVER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rowan-preflight-resolve");
        t.setDaemon(true);
        return t;
    });

    /** The checklist, in the order the UI shows it. */
    enum Step {
        HOST_RESOLVES("host resolves"),
        SERVER_ANSWERS("server answers"),
        SIGNED_IN("signed in"),
        DATABASE_EXISTS("database exists"),
        MAY_CREATE_SCHEMAS("may create schemas"),
        VERSION_SUPPORTED("version supported");

        final String label;

        Step(String label) {
            this.label = label;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int timeoutSeconds;
    private final BooleanSupplier runsInContainer;

    public Preflight() {
        this(DEFAULT_CONNECT_TIMEOUT_SECONDS, ContainerDetection.system());
    }

    /**
     * @param connectTimeoutSeconds how long to wait for the name, the TCP connection and each answer; short,
     *     because a person is waiting for the result
     * @param runsInContainer whether Rowan runs in a container (only adds the localhost hint)
     */
    public Preflight(int connectTimeoutSeconds, BooleanSupplier runsInContainer) {
        if (connectTimeoutSeconds < 1) throw new IllegalArgumentException("the connect timeout must be at least 1 second");
        this.timeoutSeconds = connectTimeoutSeconds;
        this.runsInContainer = runsInContainer;
    }

    public PreflightResult run(ConnectionSpec spec) {
        return redact(new Attempt(spec).run(), spec);
    }

    /** Rowan supports the PostgreSQL majors {@value #OLDEST_SUPPORTED_MAJOR} to {@value #NEWEST_SUPPORTED_MAJOR}. */
    public static boolean isSupportedVersion(int serverVersionNum) {
        int major = major(serverVersionNum);
        return major >= OLDEST_SUPPORTED_MAJOR && major <= NEWEST_SUPPORTED_MAJOR;
    }

    /** server_version_num as people write it: 170011 is "17.11", 90624 (before 10) "9.6.24". */
    public static String versionText(int serverVersionNum) {
        if (serverVersionNum >= 100000) {
            return serverVersionNum / 10000 + "." + serverVersionNum % 10000;
        }
        return serverVersionNum / 10000 + "." + serverVersionNum / 100 % 100 + "." + serverVersionNum % 100;
    }

    static int major(int serverVersionNum) {
        return serverVersionNum >= 100000 ? serverVersionNum / 10000 : serverVersionNum / 100;
    }

    /** localhost, 127.x.x.x and ::1: names that mean "this machine" — inside a container, the container. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h.equals("localhost") || h.endsWith(".localhost") || LOOPBACK_V4.matcher(h).matches()
                || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    /** One run of the checks against one connection; holds how far it got. */
    private final class Attempt {
        private final ConnectionSpec spec;
        private final PostgresErrors.Where where;
        private final Map<Step, PreflightCheck> checks = new EnumMap<>(Step.class);
        private String serverVersion;

        Attempt(ConnectionSpec spec) {
            this.spec = spec;
            this.where = new PostgresErrors.Where(spec.host(), spec.port(), spec.database(), spec.user(),
                    spec.password() != null && !spec.password().isEmpty(), spec.sslMode(), timeoutSeconds);
        }

        PreflightResult run() {
            InetAddress address;
            try {
                address = resolve();
            } catch (UnknownHostException e) {
                return fail(Step.HOST_RESOLVES, PostgresErrors.unknownHost(where));
            } catch (TimeoutException e) {
                return fail(Step.HOST_RESOLVES, PostgresErrors.resolveTimedOut(where));
            }
            markPassed(Step.HOST_RESOLVES, IP_LITERAL.matcher(spec.host()).matches()
                    ? spec.host() + " is an IP address"
                    : "\"" + spec.host() + "\" resolves to " + address.getHostAddress());

            // TCP on its own first: refused, timed out and unroutable are then told apart by exception
            // type alone, and a silence after this point can only mean the far end is not PostgreSQL.
            InetSocketAddress socketAddress = new InetSocketAddress(address, spec.port());
            try (Socket socket = new Socket()) {
                socket.connect(socketAddress, timeoutSeconds * 1000);
            } catch (IOException e) {
                return fail(Step.SERVER_ANSWERS, PostgresErrors.explain(e, where));
            }

            try (Connection c = DriverManager.getConnection(spec.jdbcUrl(), properties())) {
                markPassed(Step.SERVER_ANSWERS, "PostgreSQL answers at " + where.address());
                markPassed(Step.SIGNED_IN, "signed in as \"" + spec.user() + "\"");
                markPassed(Step.DATABASE_EXISTS, "database \"" + spec.database() + "\" exists");
                return signedIn(c);
            } catch (SQLException e) {
                return connectFailed(e, socketAddress);
            }
        }

        private InetAddress resolve() throws UnknownHostException, TimeoutException {
            Future<InetAddress> lookup = RESOLVER.submit(() -> InetAddress.getByName(spec.host()));
            try {
                return lookup.get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownHostException u) throw u;
                throw new UnknownHostException(spec.host());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnknownHostException(spec.host());
            } catch (TimeoutException e) {
                lookup.cancel(true);
                throw e;
            }
        }

        private Properties properties() {
            Properties p = spec.properties(timeoutSeconds);
            // Bounded reads too: a server that accepts and then stays silent must not hold the request.
            p.setProperty("socketTimeout", Integer.toString(timeoutSeconds));
            p.setProperty("ApplicationName", "rowan preflight");
            return p;
        }

        private PreflightResult connectFailed(SQLException e, InetSocketAddress socketAddress) {
            Explanation x;
            if (SSL_REQUIRED.contains(spec.sslMode()) && "08004".equals(e.getSQLState()) && sslAnswer(socketAddress) == 'N') {
                // The driver says only "rejected"; asking the server directly tells "no SSL" from a sign-in problem.
                x = PostgresErrors.sslNotOffered(where);
            } else if (rootCause(e) instanceof SocketTimeoutException) {
                x = PostgresErrors.noAnswer(where); // TCP connected a moment ago, so this is silence, not a firewall
            } else {
                x = PostgresErrors.explain(e, where);
            }
            Step step = switch (x.kind()) {
                case UNKNOWN_HOST -> Step.HOST_RESOLVES;
                case REFUSED, NO_ROUTE, TIMED_OUT, NO_ANSWER, NOT_POSTGRES, TOO_MANY_CONNECTIONS, NOT_READY -> Step.SERVER_ANSWERS;
                case DATABASE_MISSING -> Step.DATABASE_EXISTS;
                default -> Step.SIGNED_IN;
            };
            if (step.compareTo(Step.SIGNED_IN) >= 0) markPassed(Step.SERVER_ANSWERS, "PostgreSQL answers at " + where.address());
            if (step == Step.DATABASE_EXISTS) {
                markPassed(Step.SIGNED_IN, "signed in as \"" + spec.user() + "\"");
                return databaseMissing(x);
            }
            return fail(step, x);
        }

        /** 'S' or 'N' as the server answers an SSLRequest; 0 when it gives neither. Closing after 'N' is silent on the server. */
        private char sslAnswer(InetSocketAddress socketAddress) {
            try (Socket socket = new Socket()) {
                socket.connect(socketAddress, timeoutSeconds * 1000);
                socket.setSoTimeout(timeoutSeconds * 1000);
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeInt(8);
                out.writeInt(SSL_REQUEST_CODE);
                out.flush();
                int answer = socket.getInputStream().read();
                return answer == 'S' || answer == 'N' ? (char) answer : 0;
            } catch (IOException e) {
                return 0;
            }
        }

        private PreflightResult signedIn(Connection c) {
            int versionNum;
            String role;
            String database;
            boolean mayCreate;
            String owner;
            try (PreparedStatement st = c.prepareStatement("SELECT current_setting('server_version_num')::int, current_user, "
                    + "current_database(), has_database_privilege(current_database(), 'CREATE'), pg_get_userbyid(d.datdba) "
                    + "FROM pg_database d WHERE d.datname = current_database()");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                versionNum = rs.getInt(1);
                role = rs.getString(2);
                database = rs.getString(3);
                mayCreate = rs.getBoolean(4);
                owner = rs.getString(5);
            } catch (SQLException e) {
                Explanation x = PostgresErrors.explain(e, where);
                return failure("42501".equals(e.getSQLState()) ? PreflightCode.INSUFFICIENT_PRIVILEGE : code(x.kind()),
                        Step.MAY_CREATE_SCHEMAS, x.title(), x.detail(), x.hint(), false);
            }
            serverVersion = versionText(versionNum);

            String grant = "GRANT CREATE ON DATABASE " + Identifiers.quote(database) + " TO " + Identifiers.quote(role) + ";";
            if (mayCreate) {
                markPassed(Step.MAY_CREATE_SCHEMAS, "role \"" + role + "\" may create schemas in \"" + database + "\"");
            } else {
                markFailed(Step.MAY_CREATE_SCHEMAS, "role \"" + role + "\" lacks CREATE on database \"" + database + "\"");
            }
            boolean versionOk = isSupportedVersion(versionNum);
            String supported = "Rowan supports PostgreSQL " + OLDEST_SUPPORTED_MAJOR + " to " + NEWEST_SUPPORTED_MAJOR;
            if (versionOk) {
                markPassed(Step.VERSION_SUPPORTED, "PostgreSQL " + serverVersion + " (" + supported + ")");
            } else {
                markFailed(Step.VERSION_SUPPORTED, "PostgreSQL " + serverVersion + "; " + supported);
            }

            // Version before privilege: a GRANT cannot fix an unsupported server, so that is the news to give first.
            if (!versionOk) {
                boolean older = major(versionNum) < OLDEST_SUPPORTED_MAJOR;
                return failure(PreflightCode.UNSUPPORTED_VERSION, null,
                        "PostgreSQL " + serverVersion + " is not supported",
                        "The server at " + where.address() + " runs PostgreSQL " + serverVersion + ", "
                                + (older ? "older than" : "newer than") + " this Rowan release supports: " + supported + ".",
                        older
                                ? "Upgrade the server to PostgreSQL " + OLDEST_SUPPORTED_MAJOR + " or newer (pg_upgrade, or dump and restore), "
                                        + "or connect a database on another server."
                                : "Update Rowan to a release that supports PostgreSQL " + major(versionNum) + ", or connect a database on "
                                        + "a server running PostgreSQL " + OLDEST_SUPPORTED_MAJOR + " to " + NEWEST_SUPPORTED_MAJOR + ".",
                        false);
            }
            if (!mayCreate) {
                return failure(PreflightCode.INSUFFICIENT_PRIVILEGE, null,
                        "Role \"" + role + "\" may not create schemas in \"" + database + "\"",
                        "Role \"" + role + "\" signed in to database \"" + database + "\" on " + where.address()
                                + " but lacks the CREATE privilege on it, which Rowan needs to install its schemas (rowan and "
                                + "rowan_types). The role must be the database owner, a superuser, or hold CREATE on the database.",
                        "Ask the database owner" + (owner == null ? "" : " (role \"" + owner + "\")") + " or a superuser to run: " + grant,
                        false);
            }
            return new PreflightResult(true, serverVersion, null, null, null, null, false, list());
        }

        /** The missing database is only half the answer; whether this role could create it decides what to do next. */
        private PreflightResult databaseMissing(Explanation x) {
            String maintenance = spec.database().equals("postgres") ? "template1" : "postgres";
            Boolean canCreate = null;
            String otherCase = null;
            String unknownWhy = null;
            try (Connection c = DriverManager.getConnection(spec.withDatabase(maintenance).jdbcUrl(), properties())) {
                try (PreparedStatement st = c.prepareStatement("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user");
                     ResultSet rs = st.executeQuery()) {
                    canCreate = rs.next() && rs.getBoolean(1);
                }
                try (PreparedStatement st = c.prepareStatement(
                        "SELECT datname FROM pg_database WHERE lower(datname) = lower(?) AND datname <> ? ORDER BY datname LIMIT 1")) {
                    st.setString(1, spec.database());
                    st.setString(2, spec.database());
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) otherCase = rs.getString(1);
                    }
                }
            } catch (SQLException e) {
                unknownWhy = PostgresErrors.explain(e, new PostgresErrors.Where(spec.host(), spec.port(), maintenance, spec.user(),
                        where.passwordGiven(), spec.sslMode(), timeoutSeconds)).reason();
            }
            String role = "Role \"" + spec.user() + "\"";
            String create = "CREATE DATABASE " + Identifiers.quote(spec.database());
            String detail = x.detail() + " " + (canCreate == null
                    ? "Whether role \"" + spec.user() + "\" may create it is unknown: signing in to the maintenance database \""
                            + maintenance + "\" failed too (" + unknownWhy + ")."
                    : role + (canCreate ? " may create databases." : " may not create databases."))
                    + (otherCase == null ? "" : " A database \"" + otherCase + "\" exists; names are case-sensitive.");
            String hint = (otherCase == null ? "Check the spelling, or create it: " : "Did you mean \"" + otherCase + "\"? Otherwise create it: ")
                    + (Boolean.TRUE.equals(canCreate)
                            ? "role \"" + spec.user() + "\" may do so itself: " + create + ";"
                            : "a superuser or a role with CREATEDB can run " + create + " OWNER " + Identifiers.quote(spec.user()) + ";");
            markFailed(Step.DATABASE_EXISTS, "there is no database \"" + spec.database() + "\"");
            return failure(PreflightCode.DATABASE_MISSING, null, x.title(), detail, hint, Boolean.TRUE.equals(canCreate));
        }

        private PreflightResult fail(Step step, Explanation x) {
            return failure(code(x.kind()), step, x.title(), x.detail(), x.hint(), false);
        }

        /** {@code step} is the check that failed, or null when it is already recorded. */
        private PreflightResult failure(PreflightCode code, Step step, String title, String detail, String hint, boolean canCreateDatabase) {
            if (step != null) markFailed(step, title); // the detail follows in the problem itself; the list stays short
            String fullHint = hint;
            if (CONNECTION_FAILURES.contains(code) && isLoopback(spec.host()) && runsInContainer.getAsBoolean()) {
                String container = "Rowan runs in a container, where \"" + spec.host() + "\" is the container itself, not the machine "
                        + "it runs on. To reach PostgreSQL on that machine use host.docker.internal (on Linux, start the container "
                        + "with --add-host=host.docker.internal:host-gateway) or the machine's own address, and let PostgreSQL "
                        + "listen there; see " + LOCALHOST_DOC + ".";
                // When nothing answered, the container is the likely cause; otherwise it is one possibility more.
                fullHint = hint == null ? container : code == PreflightCode.UNREACHABLE ? container + " " + hint : hint + " " + container;
            }
            return new PreflightResult(false, serverVersion, code, title, detail, fullHint, canCreateDatabase, list());
        }

        private void markPassed(Step step, String detail) {
            checks.put(step, new PreflightCheck(step.id(), step.label, PreflightCheck.Status.PASSED, detail));
        }

        private void markFailed(Step step, String detail) {
            checks.put(step, new PreflightCheck(step.id(), step.label, PreflightCheck.Status.FAILED, detail));
        }

        private List<PreflightCheck> list() {
            List<PreflightCheck> all = new ArrayList<>();
            for (Step step : Step.values()) {
                all.add(checks.getOrDefault(step, new PreflightCheck(step.id(), step.label, PreflightCheck.Status.SKIPPED, null)));
            }
            return all;
        }
    }

    private static PreflightCode code(Kind kind) {
        return switch (kind) {
            case SSL, SSL_NOT_OFFERED -> PreflightCode.SSL_ERROR;
            case PASSWORD_FAILED, PASSWORD_MISSING, NOT_IN_PG_HBA, ROLE_MAY_NOT_LOG_IN, ROLE_MISSING, NOT_ALLOWED, AUTH_UNSUPPORTED ->
                    PreflightCode.AUTH_FAILED;
            case DATABASE_MISSING -> PreflightCode.DATABASE_MISSING;
            // The server could not be used at all, for whatever reason: of the codes, "unreachable" says that.
            case UNKNOWN_HOST, REFUSED, NO_ROUTE, TIMED_OUT, NO_ANSWER, NOT_POSTGRES, TOO_MANY_CONNECTIONS, NOT_READY, OTHER ->
                    PreflightCode.UNREACHABLE;
        };
    }

    /**
     * Defence in depth: no text above is built from the password, but server and driver messages are
     * quoted, so any trace of it is masked. Not when the password is also the user, database or host
     * name (then those could not be named at all), nor when it is shorter than 4 characters (masking
     * would mangle every word).
     */
    static PreflightResult redact(PreflightResult r, ConnectionSpec spec) {
        String pw = spec.password();
        if (pw == null || pw.length() < 4 || spec.user().contains(pw) || spec.database().contains(pw) || spec.host().contains(pw)) {
            return r;
        }
        List<PreflightCheck> checks = r.checks().stream()
                .map(c -> new PreflightCheck(c.id(), c.label(), c.status(), mask(c.detail(), pw)))
                .toList();
        return new PreflightResult(r.ok(), r.serverVersion(), r.code(), mask(r.title(), pw), mask(r.detail(), pw), mask(r.hint(), pw),
                r.canCreateDatabase(), checks);
    }

    private static String mask(String text, String password) {
        return text == null ? null : text.replace(password, "********");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
