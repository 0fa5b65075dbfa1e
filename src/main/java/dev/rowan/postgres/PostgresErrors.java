package dev.rowan.postgres;

import dev.rowan.config.DatabaseUrl;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns a failed PostgreSQL connection into words a person can act on. Kept in one place so the
 * internal database and user databases explain the same failure the same way. Never includes the
 * password: the texts are built from host, port, database and user only, plus the first line of
 * what the server or driver said, and neither ever echoes a password.
 */
public final class PostgresErrors {
    private static final Pattern HBA_HOST = Pattern.compile("host \"([^\"]+)\"");

    private PostgresErrors() {
    }

    /** What went wrong, coarse enough for a caller to map to its own codes. */
    public enum Kind {
        UNKNOWN_HOST, REFUSED, NO_ROUTE, TIMED_OUT, NO_ANSWER, NOT_POSTGRES,
        SSL, SSL_NOT_OFFERED,
        PASSWORD_FAILED, PASSWORD_MISSING, NOT_IN_PG_HBA, ROLE_MAY_NOT_LOG_IN, ROLE_MISSING, NOT_ALLOWED, AUTH_UNSUPPORTED,
        DATABASE_MISSING, TOO_MANY_CONNECTIONS, NOT_READY, OTHER
    }

    /** The connection that failed; {@code timeoutSeconds} is 0 when unknown. Whether a password was given, never which. */
    public record Where(String host, int port, String database, String user, boolean passwordGiven, String sslMode, int timeoutSeconds) {
        public String address() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * {@code reason} is a lower-case clause (it is spliced into longer sentences), {@code hint} what to
     * do about it, {@code title} a short heading.
     */
    public record Explanation(Kind kind, String title, String reason, String hint) {
        /** The reason as a sentence of its own. */
        public String detail() {
            if (reason.isEmpty()) return reason;
            String sentence = reason.substring(0, 1).toUpperCase(Locale.ROOT) + reason.substring(1);
            return sentence.endsWith("?") || sentence.endsWith(".") ? sentence : sentence + ".";
        }
    }

    /** The one-line form the internal database prints at start-up. */
    public static String explain(SQLException e, DatabaseUrl url) {
        String sslMode = url.parameters().getOrDefault("sslmode", "prefer");
        return explain(e, new Where(url.host(), url.port(), url.database(), url.user(), url.password() != null, sslMode, 0)).reason();
    }

    /** Explains a failure from the driver (SQLException) or from a plain socket (IOException). */
    public static Explanation explain(Throwable failure, Where w) {
        Throwable cause = rootCause(failure);
        if (hasCause(failure, SSLException.class) || hasCause(failure, GeneralSecurityException.class)
                || (cause instanceof FileNotFoundException && w.sslMode() != null && w.sslMode().startsWith("verify"))) {
            return ssl(w, firstLine(cause.getMessage()));
        }
        if (cause instanceof UnknownHostException) {
            return unknownHost(w);
        }
        if (cause instanceof ConnectException) {
            return new Explanation(Kind.REFUSED, "Connection refused",
                    "the connection to " + w.address() + " was refused: is PostgreSQL running there, and does it listen on that "
                            + "address (listen_addresses in postgresql.conf)?",
                    "Start PostgreSQL, check the port (5432 unless configured otherwise), and make sure listen_addresses in "
                            + "postgresql.conf includes the address Rowan connects to ('*' for all), then restart PostgreSQL.");
        }
        if (cause instanceof NoRouteToHostException) {
            return new Explanation(Kind.NO_ROUTE, "No route to the host", "there is no network route to " + w.address(),
                    "Check the host address; a firewall or the network configuration is blocking the way to it.");
        }
        if (cause instanceof SocketTimeoutException) {
            return new Explanation(Kind.TIMED_OUT, "Connection timed out",
                    "the connection to " + w.address() + " timed out" + (w.timeoutSeconds() > 0 ? " after " + w.timeoutSeconds() + " s" : "") + ": a firewall may be dropping it, or the host is down",
                    "Check that the host is up and that port " + w.port() + " is open in every firewall on the way "
                            + "(the server's own firewall, a cloud security group).");
        }
        if (cause instanceof EOFException) {
            return notPostgres(w, "it closed the connection without answering");
        }
        if (!(failure instanceof SQLException e)) {
            return new Explanation(Kind.OTHER, "Connection failed",
                    "the connection to " + w.address() + " failed (" + firstLine(cause.getMessage()) + ")", null);
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String said = firstLine(e.getMessage());
        return switch (state) {
            case "28P01" -> new Explanation(Kind.PASSWORD_FAILED, "Password authentication failed",
                    "password authentication failed for user \"" + w.user() + "\" on " + w.address(),
                    "Check the password and the user name; both are case-sensitive. In a URL, percent-encode special "
                            + "characters of the password (@ as %40, : as %3A, / as %2F).");
            case "28000" -> notAllowed(w, said);
            case "08004" -> !w.passwordGiven()
                    ? new Explanation(Kind.PASSWORD_MISSING, "A password is needed",
                            "the server at " + w.address() + " asks user \"" + w.user() + "\" for a password, and none was given",
                            "Add the password (postgres://user:password@host/database).")
                    : new Explanation(Kind.AUTH_UNSUPPORTED, "Sign-in not possible",
                            "the server at " + w.address() + " rejected the connection (" + said + ")",
                            "The server may ask for an authentication method Rowan cannot use (such as GSSAPI or SSPI): "
                                    + "use scram-sha-256 for this role in pg_hba.conf.");
            case "3D000" -> new Explanation(Kind.DATABASE_MISSING, "Database \"" + w.database() + "\" does not exist",
                    "the database \"" + w.database() + "\" does not exist on " + w.address(),
                    "Check the spelling (database names are case-sensitive), or create it.");
            case "53300" -> new Explanation(Kind.TOO_MANY_CONNECTIONS, "The server is full",
                    "the server at " + w.address() + " has no free connection slots (too many connections)",
                    "Try again later, close idle connections, or raise max_connections on the server.");
            case "57P03" -> new Explanation(Kind.NOT_READY, "The server is not ready",
                    "the server at " + w.address() + " is starting up or shutting down; try again in a moment", "Try again in a moment.");
            case "08P01" -> notPostgres(w, said);
            default -> new Explanation(Kind.OTHER, "Connection failed",
                    "PostgreSQL at " + w.address() + " answered with SQLState " + (state.isEmpty() ? "unknown" : state)
                            + (said.isEmpty() ? "" : " (" + said + ")"),
                    null);
        };
    }

    /** The name did not resolve, whether the resolver said so or the caller found out another way. */
    public static Explanation unknownHost(Where w) {
        return new Explanation(Kind.UNKNOWN_HOST, "Host name does not resolve",
                "the host name \"" + w.host() + "\" does not resolve (check the spelling, or use an IP address)",
                "Check the spelling of the host name. Names known only on another network (or only to another "
                        + "container) do not resolve here: use an address this machine can reach.");
    }

    /** The resolver did not answer in time: the DNS server is unreachable or slow, not necessarily a wrong name. */
    public static Explanation resolveTimedOut(Where w) {
        return new Explanation(Kind.UNKNOWN_HOST, "Host name does not resolve",
                "looking up the host name \"" + w.host() + "\" took longer than " + w.timeoutSeconds() + " s (is a DNS server reachable from here?)",
                "Use an IP address, or fix name resolution on the machine running Rowan.");
    }

    /** TCP connected, then silence: the most common cause is a wrong port or a proxy with no backend. */
    public static Explanation noAnswer(Where w) {
        return new Explanation(Kind.NO_ANSWER, "No answer from PostgreSQL",
                "something at " + w.address() + " accepted the connection but did not answer like PostgreSQL"
                        + (w.timeoutSeconds() > 0 ? " within " + w.timeoutSeconds() + " s" : ""),
                "Check the port: it must be PostgreSQL's (5432 unless configured otherwise), not another service or a "
                        + "proxy that cannot reach its database server.");
    }

    /** The server answered the SSL request with "no": only a problem when the client insists on SSL. */
    public static Explanation sslNotOffered(Where w) {
        return new Explanation(Kind.SSL_NOT_OFFERED, "The server does not offer SSL",
                "the server at " + w.address() + " does not offer SSL, but sslmode=" + w.sslMode() + " requires it",
                "Turn SSL on in the server's postgresql.conf (ssl = on, with ssl_cert_file and ssl_key_file), or, only if "
                        + "the network in between is trusted, use sslmode=prefer.");
    }

    private static Explanation ssl(Where w, String said) {
        return new Explanation(Kind.SSL, "SSL connection failed",
                "the SSL connection to " + w.address() + " failed" + (said.isEmpty() ? "" : " (" + said + ")"),
                "Check sslmode: require encrypts without checking the certificate; verify-ca and verify-full also check "
                        + "it against trusted certificates (~/.postgresql/root.crt or sslrootcert), and verify-full checks "
                        + "that the host name matches it.");
    }

    private static Explanation notPostgres(Where w, String said) {
        return new Explanation(Kind.NOT_POSTGRES, "Not a PostgreSQL server",
                "the server at " + w.address() + " does not speak the PostgreSQL protocol" + (said.isEmpty() ? "" : " (" + said + ")"),
                "Check the port: it must be PostgreSQL's (5432 unless configured otherwise).");
    }

    /**
     * SQLState 28000 covers several causes; the server's English wording tells them apart. A server set to
     * another language gets the general explanation, which is still right.
     */
    private static Explanation notAllowed(Where w, String said) {
        String lower = said.toLowerCase(Locale.ROOT);
        String server = said.isEmpty() ? "" : " (the server said: " + said + ")";
        if (lower.contains("pg_hba.conf")) {
            Matcher m = HBA_HOST.matcher(said);
            String client = m.find() ? m.group(1) : "<Rowan's address>";
            String mask = client.contains(":") ? "/128" : client.startsWith("<") ? "" : "/32";
            String who = "user \"" + w.user() + "\" and database \"" + w.database() + "\" from this address";
            return new Explanation(Kind.NOT_IN_PG_HBA, "pg_hba.conf does not allow this connection",
                    (lower.contains("rejects")
                            ? "pg_hba.conf on the server at " + w.address() + " rejects " + who
                            : "the server at " + w.address() + " has no pg_hba.conf entry for " + who) + server,
                    "Add a line such as  host  " + hbaToken(w.database()) + "  " + hbaToken(w.user()) + "  " + client + mask
                            + "  scram-sha-256  to pg_hba.conf on the server, above any line that would match first, then "
                            + "reload it (SELECT pg_reload_conf(); or pg_ctl reload)."
                            + (lower.contains("no encryption") ? " If the server allows only SSL connections (hostssl lines), use sslmode=require." : ""));
        }
        if (lower.contains("not permitted to log in")) {
            return new Explanation(Kind.ROLE_MAY_NOT_LOG_IN, "The role may not sign in",
                    "role \"" + w.user() + "\" exists on " + w.address() + " but may not log in",
                    "A superuser can allow it: ALTER ROLE " + Identifiers.quote(w.user()) + " LOGIN;");
        }
        if (lower.contains("does not exist") && lower.contains("role")) {
            return new Explanation(Kind.ROLE_MISSING, "No such role",
                    "there is no role \"" + w.user() + "\" on " + w.address(),
                    "Check the user name (it is case-sensitive), or have a superuser create it: CREATE ROLE "
                            + Identifiers.quote(w.user()) + " LOGIN PASSWORD '…';");
        }
        return new Explanation(Kind.NOT_ALLOWED, "The server does not allow this connection",
                "the server at " + w.address() + " does not allow user \"" + w.user() + "\" to connect from here "
                        + "(no matching pg_hba.conf entry, or the role may not log in)" + server,
                "Check pg_hba.conf on the server and that the role has the LOGIN attribute.");
    }

    private static String hbaToken(String name) {
        return name.matches("[a-z0-9_]+") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) return true;
        }
        return false;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    /** The first line, without the severity the driver puts in front of server messages ("FATAL: "). */
    /** The first line of a server or driver message (the rest is context meant for logs). */
    public static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim().replaceFirst("^(FATAL|ERROR|PANIC): ", "");
    }
}
