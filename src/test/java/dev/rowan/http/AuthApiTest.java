package dev.rowan.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path tmp;
    private TestRowan rowan;

    @AfterEach
    void stop() {
        if (rowan != null) rowan.close();
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        JsonNode body = json(r);
        assertEquals(code, body.get("code").asText(), r.body());
        assertEquals(status, body.get("status").asInt());
        assertFalse(body.get("title").asText().isEmpty());
        assertFalse(body.get("detail").asText().isEmpty());
    }

    private String setupBody(String token, String username, String password) {
        return "{\"token\":" + (token == null ? "null" : "\"" + token + "\"") + ",\"username\":\"" + username
                + "\",\"password\":\"" + password + "\"}";
    }

    private HttpResponse<String> setUp() {
        return rowan.post("/api/v1/setup", setupBody(rowan.setupToken(), "admin", PASSWORD));
    }

    private HttpResponse<String> login(String username, String password) {
        return rowan.post("/api/v1/auth/login", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    @Test
    void setupIsRefusedWithoutTheTokenOrWithAWrongOne() {
        rowan = TestRowan.start(tmp);
        assertTrue(json(rowan.get("/api/v1/setup")).get("setupRequired").asBoolean());
        assertProblem(rowan.post("/api/v1/setup", setupBody(null, "admin", PASSWORD)), 403, "setup_token_invalid");
        assertProblem(rowan.post("/api/v1/setup", setupBody("wrong", "admin", PASSWORD)), 403, "setup_token_invalid");
        assertTrue(json(rowan.get("/api/v1/setup")).get("setupRequired").asBoolean());
    }

    @Test
    void setupCreatesTheAdministratorSignsThemInAndCannotRunTwice() {
        rowan = TestRowan.start(tmp);
        HttpResponse<String> r = setUp();
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("admin", json(r).get("username").asText());
        String cookie = TestRowan.setCookieHeader(r);
        assertNotNull(cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Lax"), cookie);
        assertFalse(cookie.contains("Secure"), "plain http on localhost: no Secure flag");
        HttpResponse<String> session = rowan.get("/api/v1/auth/session", "Cookie", "rowan_session=" + TestRowan.sessionCookie(r));
        assertEquals(200, session.statusCode());
        assertEquals("admin", json(session).get("username").asText());
        assertEquals(json(r).get("csrfToken").asText(), json(session).get("csrfToken").asText());

        assertProblem(setUp(), 409, "already_set_up");
        assertProblem(rowan.post("/api/v1/setup", setupBody("anything", "eve", PASSWORD)), 409, "already_set_up");
        assertFalse(json(rowan.get("/api/v1/setup")).get("setupRequired").asBoolean());
        assertEquals(401, login("eve", PASSWORD).statusCode());
    }

    @Test
    void weakPasswordsAndBadUserNamesAreExplainedAndLeaveSetupOpen() {
        rowan = TestRowan.start(tmp);
        HttpResponse<String> weak = rowan.post("/api/v1/setup", setupBody(rowan.setupToken(), "admin", "short"));
        assertProblem(weak, 422, "weak_password");
        assertTrue(json(weak).get("detail").asText().contains("at least 10 characters"));
        assertProblem(rowan.post("/api/v1/setup", setupBody(rowan.setupToken(), "admin", "password123")), 422, "weak_password");
        assertProblem(rowan.post("/api/v1/setup", setupBody(rowan.setupToken(), "adminadmin", "adminadmin1")), 422, "weak_password");
        assertProblem(rowan.post("/api/v1/setup", setupBody(rowan.setupToken(), "bad name!", PASSWORD)), 422, "invalid_username");
        assertEquals(201, setUp().statusCode(), "the token still works after rejected attempts");
    }

    @Test
    void malformedBodiesAreClearErrors() {
        rowan = TestRowan.start(tmp);
        assertProblem(rowan.post("/api/v1/setup", "{not json"), 400, "malformed_json");
        assertProblem(rowan.post("/api/v1/setup", ""), 400, "malformed_json");
        assertProblem(rowan.post("/api/v1/auth/login", "[1,2]"), 400, "malformed_json");
        assertProblem(rowan.post("/api/v1/setup", null, "Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type");
        assertProblem(rowan.get("/api/v1/nothing-here"), 404, "not_found");
    }

    @Test
    void signInSessionAndSignOut() {
        rowan = TestRowan.start(tmp);
        setUp();
        assertProblem(login("admin", "wrong password!"), 401, "invalid_credentials");
        assertProblem(login("nobody", PASSWORD), 401, "invalid_credentials");
        HttpResponse<String> ok = login("ADMIN", PASSWORD);
        assertEquals(200, ok.statusCode(), "user names are case-insensitive");
        String cookie = "rowan_session=" + TestRowan.sessionCookie(ok);
        String csrf = json(ok).get("csrfToken").asText();

        assertProblem(rowan.post("/api/v1/auth/logout", null, "Cookie", cookie), 403, "csrf_token_missing");
        assertProblem(rowan.post("/api/v1/auth/logout", null, "Cookie", cookie, "X-CSRF-Token", "forged"), 403, "csrf_token_invalid");
        assertEquals(200, rowan.get("/api/v1/auth/session", "Cookie", cookie).statusCode(), "refused requests change nothing");

        HttpResponse<String> out = rowan.post("/api/v1/auth/logout", null, "Cookie", cookie, "X-CSRF-Token", csrf);
        assertEquals(204, out.statusCode());
        assertTrue(TestRowan.setCookieHeader(out).contains("Max-Age=0"));
        assertProblem(rowan.get("/api/v1/auth/session", "Cookie", cookie), 401, "not_signed_in");
        assertProblem(rowan.get("/api/v1/server", "Cookie", cookie), 401, "not_signed_in");
    }

    @Test
    void aStateChangingRequestFromAnotherOriginIsRefused() {
        rowan = TestRowan.start(tmp);
        setUp();
        HttpResponse<String> r = rowan.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}",
                "Origin", "http://evil.example");
        assertProblem(r, 403, "cross_origin_refused");
        assertEquals(200, rowan.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}",
                "Origin", rowan.baseUrl()).statusCode());
    }

    @Test
    void repeatedFailedSignInsAreRateLimitedPerUserAndAddress() {
        rowan = TestRowan.start(tmp, Map.of("login.max-failures", "3"), Map.of());
        setUp();
        for (int i = 0; i < 3; i++) {
            assertEquals(401, login("admin", "wrong password " + i).statusCode());
        }
        HttpResponse<String> limited = login("admin", PASSWORD);
        assertProblem(limited, 429, "rate_limited");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 15 * 60, "Retry-After " + retryAfter);
        assertEquals(401, login("someone-else", PASSWORD).statusCode(), "other user names are not blocked");
    }

    @Test
    void aDisallowedHostGetsA400NamingTheSetting() {
        rowan = TestRowan.start(tmp);
        HttpResponse<String> api = rowan.get("/api/v1/setup", "Host", "attacker.example");
        assertProblem(api, 400, "host_not_allowed");
        assertTrue(json(api).get("hint").asText().contains("ROWAN_ALLOWED_HOSTS"));
        HttpResponse<String> page = rowan.get("/", "Host", "attacker.example:" + rowan.port());
        assertEquals(400, page.statusCode());
        assertTrue(page.body().contains("ROWAN_ALLOWED_HOSTS"), page.body());
        assertEquals(200, rowan.get("/health/ready", "Host", "10.0.0.7:8000").statusCode(), "probes come with any Host");
        assertEquals(200, rowan.get("/api/v1/setup", "Host", "127.0.0.1:" + rowan.port()).statusCode());
    }

    @Test
    void thePublicUrlsHostIsAllowedAndHttpsMakesCookiesSecure() {
        rowan = TestRowan.start(tmp, Map.of("public.url", "https://rowan.example.org"), Map.of());
        assertTrue(rowan.setupLink().startsWith("https://rowan.example.org/setup?token="), rowan.setupLink());
        HttpResponse<String> r = rowan.post("/api/v1/setup", setupBody(rowan.setupToken(), "admin", PASSWORD), "Host", "rowan.example.org");
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(TestRowan.setCookieHeader(r).contains("; Secure"));
    }

    @Test
    void forwardedHeadersCountOnlyFromTrustedProxies() {
        rowan = TestRowan.start(tmp, Map.of("allowed.hosts", "rowan.internal"), Map.of());
        assertEquals(400, rowan.get("/api/v1/setup", "Host", "localhost", "X-Forwarded-Host", "rowan.internal").statusCode(),
                "no trusted proxy: X-Forwarded-Host is ignored");
        rowan.close();
        rowan = TestRowan.start(tmp.resolve("2"), Map.of("allowed.hosts", "rowan.internal", "trusted.proxies", "127.0.0.1,::1"), Map.of());
        assertEquals(200, rowan.get("/api/v1/setup", "Host", "localhost", "X-Forwarded-Host", "rowan.internal").statusCode());
        HttpResponse<String> r = rowan.post("/api/v1/setup", setupBody(rowan.setupToken(), "admin", PASSWORD),
                "Host", "localhost", "X-Forwarded-Host", "rowan.internal", "X-Forwarded-Proto", "https");
        assertTrue(TestRowan.setCookieHeader(r).contains("; Secure"), "https at the proxy makes the cookie Secure");
    }

    @Test
    void aSessionSurvivesARestart() {
        rowan = TestRowan.start(tmp);
        String cookie = "rowan_session=" + TestRowan.sessionCookie(setUp());
        rowan.close();
        rowan = TestRowan.start(tmp);
        assertEquals(200, rowan.get("/api/v1/auth/session", "Cookie", cookie).statusCode());
    }

    @Test
    void environmentVariablesBootstrapTheAdministratorWithoutASetupLink() {
        rowan = TestRowan.start(tmp, Map.of(), Map.of("ROWAN_ADMIN_USERNAME", "ops", "ROWAN_ADMIN_PASSWORD", "automation rules ok"));
        assertEquals(null, rowan.setupLink());
        assertTrue(rowan.console().contains("The administrator \"ops\" was created from environment variable ROWAN_ADMIN_USERNAME"));
        assertFalse(rowan.console().contains("automation rules ok"));
        assertFalse(json(rowan.get("/api/v1/setup")).get("setupRequired").asBoolean());
        assertEquals(200, login("ops", "automation rules ok").statusCode());
        rowan.close();
        rowan = TestRowan.start(tmp, Map.of(), Map.of("ROWAN_ADMIN_USERNAME", "ops", "ROWAN_ADMIN_PASSWORD", "a different one now"));
        assertFalse(rowan.console().contains("was created"), "an existing installation is left alone");
        assertEquals(200, login("ops", "automation rules ok").statusCode());
    }

    @Test
    void theWebInterfaceIsServedForPagePaths() {
        rowan = TestRowan.start(tmp);
        HttpResponse<String> page = rowan.get("/setup?token=x", "Accept", "text/html");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<div id=\"app\">"), page.body());
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""),
                "the setup token in the URL must not leak through Referer");
    }
}
