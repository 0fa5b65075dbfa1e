package dev.rowan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.testing.BrowserScript;
import dev.rowan.testing.TestPostgres;
import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the Databases page in headless Chromium (e2e/databases.mjs, playwright-core) against a real
 * Rowan: the empty state, a failing connection test, connecting an external PostgreSQL database, creating
 * one on the built-in server with the sample, the removal preview, and removing the external database.
 * Then checks with SQL that the removal took Rowan's schemas out of that database and kept its data.
 * Screenshots go to target/screenshots/databases/.
 */
class BrowserDatabasesTest {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));
    private static final String USERNAME = "admin";
    private static final String PASSWORD = "correct horse battery";
    private static final long TIMEOUT_SECONDS = 330;

    @TempDir
    Path tmp;

    @Test
    void aPersonConnectsCreatesAndRemovesDatabasesInABrowser() throws IOException, InterruptedException, SQLException {
        Path shots = PROJECT.resolve("target/screenshots/databases");
        Files.createDirectories(shots);
        String externalUrl = TestPostgres.newDatabase();
        String externalDatabase = TestPostgres.databaseName(externalUrl);
        try (Connection c = TestPostgres.connect(externalDatabase); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)");
            s.execute("INSERT INTO notes VALUES (1, 'first'), (2, 'second')");
        }

        try (TestRowan rowan = TestRowan.start(tmp.resolve("data"))) {
            HttpResponse<String> setup = rowan.post("/api/v1/setup",
                    "{\"token\":\"" + rowan.setupToken() + "\",\"username\":\"" + USERNAME + "\",\"password\":\"" + PASSWORD + "\"}");
            assertEquals(201, setup.statusCode(), "setting up the administrator: " + setup.body());

            String output = BrowserScript.run("databases.mjs",
                    List.of(rowan.baseUrl(), USERNAME, PASSWORD, shots.toString(), externalUrl), TIMEOUT_SECONDS);
            assertTrue(output.contains("ok - removing the external database"), output);
            assertTrue(Files.exists(shots.resolve("08-removed.png")), "screenshots are saved under " + shots);
        }

        try (Connection c = TestPostgres.connect(externalDatabase); Statement s = c.createStatement()) {
            List<String> rowanSchemas = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(
                    "SELECT nspname FROM pg_namespace WHERE nspname = 'rowan' OR nspname LIKE 'rowan\\_%' ORDER BY nspname")) {
                while (rs.next()) {
                    rowanSchemas.add(rs.getString(1));
                }
            }
            assertEquals(List.of(), rowanSchemas, "Rowan's schemas are gone from the removed database");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM notes")) {
                rs.next();
                assertEquals(2, rs.getInt(1), "the user's data stays in the removed database");
            }
        }
    }
}
