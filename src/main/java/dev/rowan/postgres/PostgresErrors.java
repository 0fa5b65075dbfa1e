package dev.rowan.postgres;

import dev.rowan.config.DatabaseUrl;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import javax.net.ssl.SSLException;

/** Turns a failed PostgreSQL connection into words a person can act on. Never includes the password. */
public final class PostgresErrors {
    private PostgresErrors() {
    }

    public static String explain(SQLException e, DatabaseUrl url) {
        Throwable cause = rootCause(e);
        String where = url.host() + ":" + url.port();
        if (cause instanceof UnknownHostException) {
            return "the host name \"" + url.host() + "\" does not resolve (check the spelling, or use an IP address)";
        }
        if (cause instanceof ConnectException) {
            return "the connection to " + where + " was refused: is PostgreSQL running there, and does it listen on that "
                    + "address (listen_addresses in postgresql.conf)?";
        }
        if (cause instanceof NoRouteToHostException) {
            return "there is no network route to " + where;
        }
        if (cause instanceof SocketTimeoutException) {
            return "the connection to " + where + " timed out: a firewall may be dropping it, or the host is down";
        }
        if (cause instanceof SSLException) {
            return "the SSL connection failed (" + cause.getMessage() + "); check sslmode in the URL";
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "28P01" -> "password authentication failed for user \"" + url.user() + "\"";
            case "28000" -> "the server does not allow user \"" + url.user() + "\" to connect from here "
                    + "(no matching pg_hba.conf entry, or the role may not log in)";
            case "3D000" -> "the database \"" + url.database() + "\" does not exist on " + where;
            case "53300" -> "the server has no free connection slots (too many connections)";
            case "57P03" -> "the server is starting up or shutting down; try again in a moment";
            default -> "PostgreSQL answered with SQLState " + (state.isEmpty() ? "unknown" : state)
                    + (e.getMessage() == null ? "" : " (" + firstLine(e.getMessage()) + ")");
        };
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
