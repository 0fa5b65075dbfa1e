package dev.rowan.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A PostgreSQL connection given as a URL, the form platforms hand out in DATABASE_URL:
 * {@code postgres://user:password@host:port/database?sslmode=require}.
 * {@link #toString()} never shows the password.
 */
public final class DatabaseUrl {
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final Map<String, String> parameters;

    private DatabaseUrl(String host, int port, String database, String user, String password, Map<String, String> parameters) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.parameters = parameters;
    }

    public static DatabaseUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("it is not a well-formed URL (" + e.getReason() + "); special characters in the password must be percent-encoded, e.g. @ as %40");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgres") && !scheme.equals("postgresql")) {
            throw invalid("it must start with postgres:// or postgresql://");
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null) {
            throw invalid(uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")
                    ? "the host is missing or malformed (percent-encode special characters in the password, e.g. @ as %40)"
                    : "the host is missing");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty() || database.contains("/")) {
            throw invalid("the database name is missing (…/databasename)");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] userInfo = uri.getRawUserInfo().split(":", 2);
            user = decode(userInfo[0]);
            password = userInfo.length > 1 ? decode(userInfo[1]) : null;
        }
        if (user == null || user.isEmpty()) {
            throw invalid("the user name is missing (postgres://user:password@host/database)");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) continue;
                String[] kv = pair.split("=", 2);
                params.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
            }
        }
        String sslmode = params.get("sslmode");
        if (sslmode != null && !SSL_MODES.contains(sslmode)) {
            throw invalid("sslmode must be one of " + String.join(", ", SSL_MODES.stream().sorted().toList()));
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new DatabaseUrl(host, port, decode(database), user, password, Map.copyOf(params));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("expected a PostgreSQL URL such as postgres://user:password@host:5432/database; " + why);
    }

    /** The URL with its password replaced by asterisks; text that is not a URL is hidden entirely. */
    public static String maskPassword(String text) {
        if (text == null) return null;
        int scheme = text.indexOf("://");
        int at = text.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return text.isEmpty() ? text : "********";
        }
        String userInfo = text.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        if (colon < 0) return text;
        return text.substring(0, scheme + 3) + userInfo.substring(0, colon) + ":********" + text.substring(at);
    }

    public String host() { return host; }
    public int port() { return port; }
    public String database() { return database; }
    public String user() { return user; }
    /** May be null when the server trusts the client or a password file is used. */
    public String password() { return password; }
    public Map<String, String> parameters() { return parameters; }

    /** The JDBC URL: host, port and database only; user, password and parameters go in connection properties. */
    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Where this database is, for messages: user@host:port/database. */
    public String describe() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "postgres://" + user + (password != null ? ":********" : "") + "@"
                + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database
                + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
}
