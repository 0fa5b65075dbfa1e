package dev.rowan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.testing.BrowserScript;
import dev.rowan.testing.DataApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the grid's filter builder, column menu and add-column dialog in headless Chromium
 * (e2e/columns.mjs) against a real Rowan and a real PostgreSQL database, and checks every change
 * in that database with SQL.
 *
 * <p>The script asks for those checks while it runs (sqlValue, and sqlExec to correct data between
 * steps); {@link BrowserScript} runs them in the test database. Screenshots go to target/screenshots/columns/.
 */
class BrowserColumnsTest {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));
    /** DataApi signs in the administrator "admin" with this password. */
    private static final String PASSWORD = "correct horse battery";
    private static final long TIMEOUT_SECONDS = 150;

    @TempDir
    Path tmp;

    @Test
    void aPersonFiltersAndChangesColumnsInABrowser() throws IOException, InterruptedException {
        Path shots = PROJECT.resolve("target/screenshots/columns");
        Files.createDirectories(shots);
        Files.deleteIfExists(shots.resolve("failure.png"));
        try (DataApi api = DataApi.start(tmp.resolve("data"))) {
            api.exec(
                    "CREATE TYPE mood AS ENUM ('happy', 'sad', 'calm')",
                    "CREATE TABLE items (id integer PRIMARY KEY, title text, amount text, mood mood, due date, note text, code text, legacy text)",
                    // "3O" (a letter O) is the one amount that is not a number; two notes are empty; codes A1 and B2 repeat.
                    "INSERT INTO items VALUES"
                            + " (1, 'Apple', '10', 'happy', '2024-01-15', 'crisp', 'A1', 'x'),"
                            + " (2, 'Banana', '20', 'sad', '2024-02-20', NULL, 'A1', 'y'),"
                            + " (3, 'Cherry', '3O', 'calm', '2024-03-25', 'dark', 'B2', 'z'),"
                            + " (4, 'Date', '40', 'happy', '2024-04-30', NULL, 'B2', 'w'),"
                            + " (5, 'Elder', '50', NULL, NULL, 'tall', 'C3', 'v')",
                    "CREATE VIEW item_legacy AS SELECT id, legacy FROM items");
            long items = api.oid("public.items");
            String page = "/databases/" + api.db + "/tables/" + items;

            String output = BrowserScript.run("columns.mjs", List.of(api.rowan().baseUrl(), "admin", PASSWORD, shots.toString(), page),
                    Map.of(), api::sql, TIMEOUT_SECONDS);
            assertTrue(output.contains("ok - adding a column"), output);
            assertTrue(Files.exists(shots.resolve("13-column-added.png")), "screenshots are saved under " + shots);

            // The end state, once more from here: what the browser did is in the database.
            assertEquals("integer", api.scalar("SELECT data_type FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'amount'"));
            assertEquals("1200", api.scalar("SELECT column_default FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'amount'"));
            assertEquals("NO", api.scalar("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'note'"));
            assertEquals("1", api.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'name'"));
            assertEquals("0", api.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name IN ('title', 'legacy')"));
            assertNull(api.scalar("SELECT to_regclass('public.item_legacy')::text"));
            assertEquals("5", api.scalar("SELECT count(*) FROM items WHERE priority = 3"));
        }
    }
}
