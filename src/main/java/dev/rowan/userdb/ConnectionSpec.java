package dev.rowan.userdb;

import dev.rowan.config.DatabaseUrl;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Where a user database is and how to sign in to it: host, port, database, user, password and SSL
 * mode, from separate fields or one postgres:// URL. {@link #toString()} never shows the password.
 */
public record ConnectionSpec(String host, int port, String database, String user, String password, String sslMode) {
    public static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    public ConnectionSpec {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("the host is missing");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("the port must be from 1 to 65535");
        if (database == null || database.isBlank()) throw new IllegalArgumentException("the database name is missing");
        if (user == null || user.isBlank()) throw new IllegalArgumentException("the user name is missing");
        sslMode = sslMode == null || sslMode.isBlank() ? "prefer" : sslMode.toLowerCase(Locale.ROOT);
        if (!SSL_MODES.contains(sslMode)) {
            throw new IllegalArgumentException("the SSL mode must be one of disable, allow, prefer, require, verify-ca, verify-full");
        }
        host = host.trim();
    }

    /** From a postgres:// URL; the message of the IllegalArgumentException says what is wrong with it. */
    public static ConnectionSpec fromUrl(String url) {
        DatabaseUrl u = DatabaseUrl.parse(url == null ? "" : url.trim());
        return new ConnectionSpec(u.host(), u.port(), u.database(), u.user(), u.password(), u.parameters().get("sslmode"));
    }

    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** JDBC connection properties: user, password, SSL mode, and a connect timeout in seconds. */
    public Properties properties(int connectTimeoutSeconds) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("sslmode", sslMode);
        p.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
        p.setProperty("socketTimeout", "0");
        p.setProperty("ApplicationName", "rowan");
        return p;
    }

    public ConnectionSpec withDatabase(String otherDatabase) {
        return new ConnectionSpec(host, port, otherDatabase, user, password, sslMode);
    }

    /** user@host:port/database, for messages. */
    public String describe() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "ConnectionSpec[" + describe() + ", sslmode=" + sslMode + "]";
    }
}
