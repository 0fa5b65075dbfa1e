package dev.rowan.userdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.cli.RootCommand;
import dev.rowan.testing.FreePort;
import dev.rowan.testing.TestPostgres;
import dev.rowan.testing.TestRowan;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting, listing, creating on the built-in server and removing user databases, through the API. */
class DatabasesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path tmp;
    private TestRowan rowan;
    private String cookie;
    private String csrf;

    @AfterEach
    void stop() {
        if (rowan != null) rowan.close();
    }

    private void startAndSignIn() {
        rowan = TestRowan.start(tmp.resolve("data"));
        HttpResponse<String> r = rowan.setupToken() != null
                ? rowan.post("/api/v1/setup", "{\"token\":\"" + rowan.setupToken() + "\",\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}")
                : rowan.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.body());
        cookie = "rowan_session=" + TestRowan.sessionCookie(r);
        csrf = json(r).get("csrfToken").asText();
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private HttpResponse<String> post(String path, String body) {
        return rowan.post(path, body, "Cookie", cookie, "X-CSRF-Token", csrf);
    }

    private HttpResponse<String> get(String path) {
        return rowan.get(path, "Cookie", cookie);
    }

    private HttpResponse<String> delete(String path) {
        return TestRowan.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(rowan.baseUrl() + path)).DELETE(),
                "Cookie", cookie, "X-CSRF-Token", csrf);
    }

    private static int count(String url, String sql) throws SQLException {
        try (Connection c = TestPostgres.connect(TestPostgres.databaseName(url)); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void connectingADatabaseInstallsTheRowanSchemasAndListsItAsReady() throws SQLException {
        startAndSignIn();
        String url = TestPostgres.newDatabase();
        HttpResponse<String> test = post("/api/v1/databases/test", "{\"url\":\"" + url + "\"}");
        assertEquals(200, test.statusCode(), test.body());
        assertTrue(json(test).get("ok").asBoolean());
        assertTrue(json(test).get("serverVersion").asText().startsWith("17"), test.body());

        HttpResponse<String> created = post("/api/v1/databases", "{\"name\":\"Sales\",\"url\":\"" + url + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("ready", json(created).get("status").asText(), created.body());
        assertTrue(json(created).get("schemaVersion").asInt() >= 1);
        assertEquals(1, count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'rowan'"));
        assertEquals(1, count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'rowan_types'"));

        JsonNode list = json(get("/api/v1/databases"));
        assertEquals(1, list.size());
        assertEquals("Sales", list.get(0).get("name").asText());
        assertEquals("ready", list.get(0).get("status").asText());

        assertEquals(409, post("/api/v1/databases", "{\"name\":\"sales\",\"url\":\"" + url + "\"}").statusCode(), "names are unique");
    }

    @Test
    void aFailedTestExplainsItselfWithTheCheckedSteps() {
        startAndSignIn();
        HttpResponse<String> r = post("/api/v1/databases/test", "{\"url\":\"postgres://postgres@127.0.0.1:" + FreePort.find() + "/x\"}");
        assertEquals(422, r.statusCode(), r.body());
        assertEquals("unreachable", json(r).get("code").asText());
        assertTrue(json(r).get("checks").isArray());
        assertEquals(400, post("/api/v1/databases/test", "{\"url\":\"mysql://x\"}").statusCode());
        assertEquals(400, post("/api/v1/databases/test", "{\"host\":\"localhost\"}").statusCode());
        assertEquals(422, post("/api/v1/databases", "{\"name\":\"X\",\"url\":\"postgres://postgres@127.0.0.1:" + FreePort.find() + "/x\"}").statusCode(),
                "connect runs the same checks first");
        assertEquals(0, json(get("/api/v1/databases")).size(), "nothing stored after a failed connect");
        assertEquals(403, rowan.post("/api/v1/databases", "{\"name\":\"X\",\"url\":\"x\"}", "Cookie", cookie).statusCode(), "CSRF header required");
    }

    @Test
    void aMissingDatabaseIsCreatedOnRequestWhenTheUserMay() throws SQLException {
        startAndSignIn();
        String url = TestPostgres.newDatabase() + "_to_create";
        HttpResponse<String> plain = post("/api/v1/databases", "{\"name\":\"New\",\"url\":\"" + url + "\"}");
        assertEquals(422, plain.statusCode(), plain.body());
        assertEquals("database_missing", json(plain).get("code").asText());
        assertTrue(json(plain).get("canCreateDatabase").asBoolean(), plain.body());

        HttpResponse<String> created = post("/api/v1/databases", "{\"name\":\"New\",\"url\":\"" + url + "\",\"createDatabase\":true}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("ready", json(created).get("status").asText());
        assertEquals(1, count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'rowan'"));
    }

    @Test
    void thePasswordIsStoredOnlyEncryptedAndSurvivesARotation() throws Exception {
        startAndSignIn();
        String url = TestPostgres.newDatabase().replace("postgres@", "postgres:Pw-in-the-clear-9731@");
        assertEquals(201, post("/api/v1/databases", "{\"name\":\"Sales\",\"url\":\"" + url + "\"}").statusCode());
        rowan.close();
        rowan = null;
        for (Path f : Files.list(tmp.resolve("data")).toList()) {
            if (Files.isRegularFile(f)) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains("Pw-in-the-clear-9731"), "the password appears in " + f);
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RootCommand.run(Map.of("ROWAN_DATA_DIR", tmp.resolve("data").toString()), new PrintWriter(out), new PrintWriter(err), "secret", "rotate");
        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("Rotated"), out.toString());
        startAndSignIn();
        assertEquals("ready", json(get("/api/v1/databases")).get(0).get("status").asText(), "readable under the new key");
    }

    @Test
    void aChangedSecretKeyShowsUnreadableCredentialsNotGarbage() throws Exception {
        startAndSignIn();
        String url = TestPostgres.newDatabase().replace("postgres@", "postgres:whatever@");
        assertEquals(201, post("/api/v1/databases", "{\"name\":\"Sales\",\"url\":\"" + url + "\"}").statusCode());
        assertEquals(201, post("/api/v1/databases", "{\"name\":\"Local\",\"builtin\":true,\"sample\":false}").statusCode());
        rowan.close();
        rowan = null;
        Path conf = tmp.resolve("data/rowan.conf");
        Files.writeString(conf, Files.readString(conf).replaceAll("secret\\.key = .*", "secret.key = " + "n".repeat(43)));
        int exit = RootCommand.run(Map.of("ROWAN_DATA_DIR", tmp.resolve("data").toString()), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), "secret", "adopt");
        assertEquals(0, exit);
        startAndSignIn();
        JsonNode list = json(get("/api/v1/databases"));
        assertEquals(2, list.size(), list.toString());
        for (JsonNode db : list) {
            assertEquals("credentials_unreadable", db.get("status").asText(), db.toString());
            assertTrue(db.get("problem").get("title").asText().contains("secret key changed"), db.toString());
        }
    }

    @Test
    void aDatabaseThatGoesDownFailsOnlyItsOwnRequestsAndRecovers() throws Exception {
        startAndSignIn();
        int port = FreePort.find();
        Path pgData = tmp.resolve("pg");
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setPort(port).setDataDirectory(pgData).setCleanDataDirectory(false).start();
        String url = "postgres://postgres@localhost:" + port + "/postgres";
        assertEquals(201, post("/api/v1/databases", "{\"name\":\"Flaky\",\"url\":\"" + url + "\"}").statusCode());
        long id = json(get("/api/v1/databases")).get(0).get("id").asLong();
        pg.close();
        HttpResponse<String> down = get("/api/v1/databases/" + id);
        assertEquals("unreachable", json(down).get("status").asText(), down.body());
        HttpResponse<String> preview = get("/api/v1/databases/" + id + "/removal-preview");
        assertEquals(503, preview.statusCode(), preview.body());
        assertTrue(json(preview).get("title").asText().contains("Flaky"), preview.body());
        assertEquals(200, get("/api/v1/auth/session").statusCode(), "the rest of Rowan keeps working");
        EmbeddedPostgres again = EmbeddedPostgres.builder().setPort(port).setDataDirectory(pgData).setCleanDataDirectory(false).start();
        try {
            HttpResponse<String> back = get("/api/v1/databases/" + id);
            assertEquals("ready", json(back).get("status").asText(), "recovers by itself: " + back.body());
        } finally {
            again.close();
        }
    }

    @Test
    void removingADatabaseKeepsItsDataAndLeavesNothingOfRowan() throws SQLException {
        startAndSignIn();
        String url = TestPostgres.newDatabase();
        long id = json(post("/api/v1/databases", "{\"name\":\"Sales\",\"url\":\"" + url + "\"}")).get("id").asLong();
        try (Connection c = TestPostgres.connect(TestPostgres.databaseName(url)); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE people (id int PRIMARY KEY, email rowan_types.email, site rowan_types.uri, pay rowan_types.money)");
            s.execute("INSERT INTO people VALUES (1, 'ana@example.org', 'https://example.org/a', 12.50), (2, NULL, NULL, NULL)");
        }
        JsonNode preview = json(get("/api/v1/databases/" + id + "/removal-preview"));
        assertEquals(3, preview.get("columns").size(), preview.toString());
        assertEquals(204, delete("/api/v1/databases/" + id).statusCode());
        assertEquals(0, count(url, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('rowan', 'rowan_types')"));
        assertEquals(1, count(url, "SELECT count(*) FROM people WHERE email = 'ana@example.org' AND site = 'https://example.org/a' AND pay = 12.50"));
        assertEquals(0, json(get("/api/v1/databases")).size());
    }

    @Test
    void aNewDatabaseOnTheBuiltInServerHasTheSampleDataAndSurvivesARestart() throws Exception {
        startAndSignIn();
        HttpResponse<String> created = post("/api/v1/databases", "{\"name\":\"Bookshop\",\"builtin\":true,\"sample\":true}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("ready", json(created).get("status").asText(), created.body());
        assertTrue(Files.exists(tmp.resolve("data/postgres/PG_VERSION")));
        rowan.close();
        rowan = null;
        assertFalse(postgresRunningFor(tmp.resolve("data/postgres")), "shutdown leaves no postgres process behind");
        startAndSignIn();
        JsonNode db = json(get("/api/v1/databases")).get(0);
        assertEquals("ready", db.get("status").asText(), db.toString());
        assertTrue(db.get("builtin").asBoolean());
    }

    private static boolean postgresRunningFor(Path dataDir) throws IOException {
        for (Path proc : Files.list(Path.of("/proc")).filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
            try {
                String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                if (cmd.contains("postgres") && cmd.contains(dataDir.toString())) return true;
            } catch (IOException ignored) {
                // the process ended meanwhile
            }
        }
        return false;
    }
}
