package dev.rowan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.testing.BrowserScript;
import dev.rowan.testing.TestPostgres;
import dev.rowan.testing.TestRowan;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the database, record, import and settings pages in headless Chromium (e2e/pages.mjs) against a
 * real Rowan with a fresh PostgreSQL database (authors ← books). After each action in the browser the
 * script asks this test what the database holds ({@link BrowserScript} runs its SQL directly in the user
 * database, not through Rowan), so every check sees the real state.
 * Screenshots go to target/screenshots/pages/.
 */
class BrowserPagesTest {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));
    private static final String USERNAME = "admin";
    private static final String PASSWORD = "correct horse battery";
    private static final long TIMEOUT_SECONDS = 150;

    @TempDir
    Path tmp;

    @Test
    void aPersonManagesSchemasTablesRecordsImportsAndReadsTheSettingsInABrowser() throws Exception {
        Path shots = PROJECT.resolve("target/screenshots/pages");
        Files.createDirectories(shots);
        String url = TestPostgres.newDatabase();
        String database = TestPostgres.databaseName(url);
        try (Connection c = TestPostgres.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE authors (id integer PRIMARY KEY, name text NOT NULL)");
            s.execute("CREATE TABLE books (id integer PRIMARY KEY, title text NOT NULL, pages integer, author_id integer REFERENCES authors)");
            s.execute("INSERT INTO authors VALUES (1, 'Ursula K. Le Guin'), (2, 'Italo Calvino')");
            s.execute("INSERT INTO books VALUES (10, 'The Dispossessed', 387, 1), (11, 'The Lathe of Heaven', 184, 1),"
                    + " (12, 'A Wizard of Earthsea', 205, 1), (20, 'Invisible Cities', 165, 2)");
        }

        try (TestRowan rowan = TestRowan.start(tmp.resolve("data"))) {
            HttpResponse<String> setup = rowan.post("/api/v1/setup",
                    "{\"token\":\"" + rowan.setupToken() + "\",\"username\":\"" + USERNAME + "\",\"password\":\"" + PASSWORD + "\"}");
            assertEquals(201, setup.statusCode(), "setting up the administrator: " + setup.body());

            String output = BrowserScript.run("pages.mjs", List.of(rowan.baseUrl(), USERNAME, PASSWORD, shots.toString(), url),
                    Map.of(), () -> TestPostgres.connect(database), TIMEOUT_SECONDS);
            assertTrue(output.contains("ok - the settings page"), output);
            assertTrue(Files.exists(shots.resolve("20-settings.png")), "screenshots are saved under " + shots);
        }

        // What the browser did, seen once more from here after Rowan has stopped.
        try (Connection c = TestPostgres.connect(database); Statement s = c.createStatement()) {
            assertEquals("Ursula Le Guin", scalar(s, "SELECT name FROM authors WHERE id = 1"), "the edit on the record page");
            assertEquals("387", scalar(s, "SELECT pages FROM books WHERE id = 10"), "the refused value changed nothing");
            assertEquals("2", scalar(s, "SELECT count(*) FROM public.stock"), "the good rows of the import with skip");
            assertEquals("integer", scalar(s, "SELECT data_type FROM information_schema.columns WHERE table_name = 'stock' AND column_name = 'qty'"));
            assertEquals("3", scalar(s, "SELECT count(*) FROM public.people"), "the uploaded file");
            assertEquals("0", scalar(s, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'Sales%'"), "the deleted schema");
        }
    }

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
