package dev.rowan.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.Version;
import dev.rowan.auth.Passwords;
import dev.rowan.config.Options;
import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /api/v1/settings: administrators see every setting with its value and where it came from (a
 * flag, an environment variable, the default); secret values never appear in the answer; other users
 * get 403 and signed-out visitors 401.
 */
class SettingsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";
    /** Given through the environment; must never be in an answer. */
    private static final String SECRET_KEY = "k3y-from-the-environment-0123456789abcdefXYZ";

    @TempDir
    static Path tmp;
    static TestRowan rowan;
    static String adminCookie;

    @BeforeAll
    static void start() {
        rowan = TestRowan.start(tmp.resolve("data"), Map.of(), Map.of("ROWAN_SECRET_KEY", SECRET_KEY, "ROWAN_LOG_LEVEL", "warn"));
        HttpResponse<String> setup = rowan.post("/api/v1/setup",
                "{\"token\":\"" + rowan.setupToken() + "\",\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(201, setup.statusCode(), setup.body());
        adminCookie = "rowan_session=" + TestRowan.sessionCookie(setup);
    }

    @AfterAll
    static void stop() {
        rowan.close();
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private static Map<String, JsonNode> byKey(JsonNode body) {
        Map<String, JsonNode> out = new HashMap<>();
        body.get("settings").forEach(s -> out.put(s.get("key").asText(), s));
        return out;
    }

    @Test
    void anAdministratorSeesEverySettingWithItsSource() {
        HttpResponse<String> r = rowan.get("/api/v1/settings", "Cookie", adminCookie);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(Version.current(), body.get("version").asText());
        assertTrue(body.get("configFile").asText().endsWith("rowan.conf"), r.body());
        Map<String, JsonNode> settings = byKey(body);
        assertEquals(Options.ALL.size(), settings.size(), "every option is listed");

        JsonNode port = settings.get("http.port");
        assertEquals(Integer.toString(rowan.port()), port.get("value").asText());
        assertEquals("command-line flag --http-port", port.get("source").asText());
        assertTrue(port.get("restartRequired").asBoolean());
        assertFalse(port.get("secret").asBoolean());
        assertEquals("HTTP", port.get("category").asText());
        assertEquals("--http-port", port.get("flag").asText());
        assertEquals("ROWAN_HTTP_PORT", port.get("env").asText());
        assertEquals("docs/configuration.md#httpport", port.get("docs").asText());
        assertFalse(port.get("description").asText().isEmpty());

        JsonNode log = settings.get("log.level");
        assertEquals("warn", log.get("value").asText());
        assertEquals("environment variable ROWAN_LOG_LEVEL", log.get("source").asText());

        JsonNode hosts = settings.get("allowed.hosts");
        assertEquals("default", hosts.get("source").asText());
        assertEquals("localhost,127.0.0.1,[::1]", hosts.get("value").asText());

        JsonNode publicUrl = settings.get("public.url");
        assertTrue(publicUrl.get("value").isNull(), "an unset option has no value: " + publicUrl);
    }

    @Test
    void secretValuesAreNeverSent() {
        HttpResponse<String> r = rowan.get("/api/v1/settings", "Cookie", adminCookie);
        assertEquals(200, r.statusCode(), r.body());
        assertFalse(r.body().contains(SECRET_KEY), "the secret key is not in the answer");
        assertFalse(r.body().contains(SECRET_KEY.substring(0, 12)), "not even a part of it");
        Map<String, JsonNode> settings = byKey(json(r));
        JsonNode key = settings.get("secret.key");
        assertTrue(key.get("secret").asBoolean());
        assertEquals("(set)", key.get("value").asText());
        assertEquals("environment variable ROWAN_SECRET_KEY", key.get("source").asText());
        JsonNode password = settings.get("admin.password");
        assertTrue(password.get("secret").asBoolean());
        assertTrue(password.get("value").isNull(), "an unset secret is null");
    }

    @Test
    void signedOutVisitorsGet401() {
        HttpResponse<String> r = rowan.get("/api/v1/settings");
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("not_signed_in", json(r).get("code").asText());
    }

    @Test
    void usersWhoAreNotAdministratorsGet403() throws SQLException {
        // Rowan has no way yet to create a user who is not an administrator: add one to the internal database directly.
        Path internal = tmp.resolve("data").resolve("rowan.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + internal);
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO rowan_user (username, password_hash, is_admin, created_at, password_changed_at) VALUES (?, ?, 0, ?, ?)")) {
            long now = System.currentTimeMillis();
            ps.setString(1, "viewer");
            ps.setString(2, Passwords.hash(PASSWORD));
            ps.setLong(3, now);
            ps.setLong(4, now);
            ps.executeUpdate();
        }
        HttpResponse<String> login = rowan.post("/api/v1/auth/login", "{\"username\":\"viewer\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(200, login.statusCode(), login.body());
        String cookie = "rowan_session=" + TestRowan.sessionCookie(login);
        HttpResponse<String> session = rowan.get("/api/v1/auth/session", "Cookie", cookie);
        assertFalse(json(session).get("admin").asBoolean(), session.body());

        HttpResponse<String> r = rowan.get("/api/v1/settings", "Cookie", cookie);
        assertEquals(403, r.statusCode(), r.body());
        JsonNode problem = json(r);
        assertEquals("admin_only", problem.get("code").asText());
        assertNotNull(problem.get("detail"));
        assertFalse(r.body().contains("http.port"), "no settings in the refusal");
    }
}
