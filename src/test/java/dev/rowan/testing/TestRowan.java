package dev.rowan.testing;

import dev.rowan.app.RowanServer;
import dev.rowan.config.ConfigResolver;
import dev.rowan.config.Option;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.userdb.ConnectionSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real Rowan started in-process on a free port, and a small HTTP client to talk to it. */
public final class TestRowan implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final RowanServer server;
    private final String console;

    private TestRowan(RowanServer server, String console) {
        this.server = server;
        this.console = console;
    }

    /** Starts Rowan with the given data directory; flags and environment by option key / variable name. */
    public static TestRowan start(Path dataDir, Map<String, String> flags, Map<String, String> env) {
        return new TestRowan(null, null).startWith(settings(dataDir, flags, env));
    }

    public static TestRowan start(Path dataDir) {
        return start(dataDir, Map.of(), Map.of());
    }

    public static Settings settings(Path dataDir, Map<String, String> flags, Map<String, String> env) {
        Map<Option<?>, String> given = new HashMap<>();
        given.put(Options.DATA_DIR, dataDir.toString());
        if (!env.containsKey("ROWAN_HTTP_PORT") && !env.containsKey("PORT")) {
            given.put(Options.HTTP_PORT, Integer.toString(FreePort.find()));
        }
        flags.forEach((k, v) -> given.put(Options.byKey(k).orElseThrow(), v));
        return new ConfigResolver(env, given).resolve();
    }

    private TestRowan startWith(Settings settings) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RowanServer s = RowanServer.start(settings, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new TestRowan(s, bytes.toString(StandardCharsets.UTF_8));
    }

    public String console() {
        return console;
    }

    public String setupToken() {
        String link = server.setupLink();
        return link == null ? null : link.substring(link.indexOf("token=") + "token=".length());
    }

    public String setupLink() {
        return server.setupLink();
    }

    public String baseUrl() {
        return "http://localhost:" + server.port();
    }

    public List<String> routes() {
        return server.routes();
    }

    public int port() {
        return server.port();
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET(), headers);
    }

    public HttpResponse<String> post(String path, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
        if (json != null) b.header("Content-Type", "application/json");
        return send(b, headers);
    }

    public static HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
        return send(b, HttpResponse.BodyHandlers.ofString(), headers);
    }

    /** The request with the given headers (name, value, …), its body read by {@code handler} (streams, bytes). */
    public static <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(b.build(), handler);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of the rowan_session cookie set by a response, or null. */
    public static String sessionCookie(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("rowan_session=")).findFirst()
                .map(c -> c.substring("rowan_session=".length(), c.indexOf(';')))
                .orElse(null);
    }

    public static String setCookieHeader(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("rowan_session=")).findFirst().orElse(null);
    }

    /**
     * A plain JDBC connection (outside Rowan's pools) to a connected database, as Rowan reaches it;
     * {@code database} replaces the database name, e.g. to look at one Rowan no longer manages on the
     * same server.
     */
    public Connection sql(long databaseId, String database) throws SQLException {
        ConnectionSpec spec = server.databases().connectionSpec(databaseId);
        ConnectionSpec target = database == null ? spec
                : new ConnectionSpec(spec.host(), spec.port(), database, spec.user(), spec.password(), spec.sslMode());
        return DriverManager.getConnection(target.jdbcUrl(), target.properties(10));
    }

    /** The database name on its server of a connected database. */
    public String databaseName(long databaseId) {
        return server.databases().connectionSpec(databaseId).database();
    }

    @Override
    public void close() {
        server.close();
    }
}
