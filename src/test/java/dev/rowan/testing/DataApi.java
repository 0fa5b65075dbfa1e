package dev.rowan.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A signed-in administrator of a real Rowan with one fresh PostgreSQL database connected: the
 * starting point of the data API tests. {@code path("/tables")} is relative to that database;
 * {@link #sql} runs SQL in it directly, to arrange data and to check what the API did.
 */
public final class DataApi implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";

    private final TestRowan rowan;
    private final String cookie;
    private final String csrf;
    /** The test database's URL on the shared test server; null when the database is on Rowan's built-in server. */
    public final String url;
    public final long db;

    private DataApi(TestRowan rowan, String cookie, String csrf, String url, long db) {
        this.rowan = rowan;
        this.cookie = cookie;
        this.csrf = csrf;
        this.url = url;
        this.db = db;
    }

    /** Starts Rowan in {@code dataDir}, creates the admin, and connects a new empty database (Rowan schemas installed). */
    public static DataApi start(Path dataDir) {
        return start(dataDir, Map.of(), false);
    }

    /**
     * The same with environment variables for Rowan (e.g. ROWAN_DATABASE_URL for an internal database on
     * PostgreSQL); with {@code builtin}, the database is a new one on Rowan's built-in server instead.
     */
    public static DataApi start(Path dataDir, Map<String, String> env, boolean builtin) {
        TestRowan rowan = TestRowan.start(dataDir, Map.of(), env);
        try {
            HttpResponse<String> r = rowan.post("/api/v1/setup",
                    "{\"token\":\"" + rowan.setupToken() + "\",\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
            if (r.statusCode() != 201) throw new IllegalStateException(r.body());
            String cookie = "rowan_session=" + TestRowan.sessionCookie(r);
            String csrf = parse(r).get("csrfToken").asText();
            String url = builtin ? null : TestPostgres.newDatabase();
            HttpResponse<String> connected = rowan.post("/api/v1/databases",
                    builtin ? "{\"name\":\"Test\",\"builtin\":true,\"sample\":false}" : "{\"name\":\"Test\",\"url\":\"" + url + "\"}",
                    "Cookie", cookie, "X-CSRF-Token", csrf);
            if (connected.statusCode() != 201) throw new IllegalStateException(connected.body());
            return new DataApi(rowan, cookie, csrf, url, parse(connected).get("id").asLong());
        } catch (RuntimeException e) {
            rowan.close();
            throw e;
        }
    }

    public TestRowan rowan() {
        return rowan;
    }

    /** {@code /api/v1/databases/<db>} followed by {@code suffix}. */
    public String path(String suffix) {
        return "/api/v1/databases/" + db + suffix;
    }

    public HttpResponse<String> get(String path) {
        return rowan.get(path, "Cookie", cookie);
    }

    public HttpResponse<String> post(String path, String json) {
        return rowan.post(path, json, "Cookie", cookie, "X-CSRF-Token", csrf);
    }

    public HttpResponse<String> patch(String path, String json) {
        return send("PATCH", path, json);
    }

    public HttpResponse<String> put(String path, String json) {
        return send("PUT", path, json);
    }

    public HttpResponse<String> delete(String path) {
        return send("DELETE", path, null);
    }

    /** Any request with the session cookie and CSRF header; a JSON body when {@code json} is not null. */
    public HttpResponse<String> send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rowan.baseUrl() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        return TestRowan.send(b, "Cookie", cookie, "X-CSRF-Token", csrf);
    }

    /** The same request with the session cookie and CSRF header added to the given builder (multipart uploads, streams). */
    public <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
        return TestRowan.send(b, handler, "Cookie", cookie, "X-CSRF-Token", csrf);
    }

    public URI uri(String path) {
        return URI.create(rowan.baseUrl() + path);
    }

    public static JsonNode parse(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** A direct connection to the test database (not through Rowan). */
    public Connection sql() throws SQLException {
        return url == null ? rowan.sql(db, null) : TestPostgres.connect(TestPostgres.databaseName(url));
    }

    /** Runs statements directly in the test database, each on its own. */
    public void exec(String... statements) {
        try (Connection c = sql(); Statement s = c.createStatement()) {
            for (String statement : statements) s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row of a query run directly, as text (null for SQL NULL or no row). */
    public String scalar(String query, Object... params) {
        try (Connection c = sql(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The records path of a table named as SQL spells it, e.g. {@code api.records("books")}. */
    public String records(String qualifiedName) {
        return path("/tables/" + oid(qualifiedName) + "/records");
    }

    /** A table's OID, from its name as SQL spells it (e.g. {@code public."My table"}). */
    public long oid(String qualifiedName) {
        return Long.parseLong(scalar("SELECT to_regclass(?)::oid", qualifiedName));
    }

    @Override
    public void close() {
        rowan.close();
    }
}
