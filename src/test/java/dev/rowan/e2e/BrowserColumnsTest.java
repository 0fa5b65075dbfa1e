package dev.rowan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rowan.testing.DataApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the grid's filter builder, column menu and add-column dialog in headless Chromium
 * (e2e/columns.mjs) against a real Rowan and a real PostgreSQL database, and checks every change
 * in that database with SQL.
 *
 * <p>The script asks for those checks while it runs: a line {@code @sql "<query>"} on its output is
 * answered here with {@code {"value": <first column of the first row>}} on its input, {@code @exec
 * "<statement>"} runs a statement (to correct data between steps) and answers {@code {"ok": true}}.
 * Screenshots go to target/screenshots/columns/.
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

            String output = runScript(api, shots, page);
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

    /** Runs e2e/columns.mjs, answering its SQL requests; returns everything else it printed. */
    private String runScript(DataApi api, Path shots, String page) throws IOException, InterruptedException {
        Process node = new ProcessBuilder("node", "columns.mjs", api.rowan().baseUrl(), "admin", PASSWORD, shots.toString(), page)
                .directory(PROJECT.resolve("e2e").toFile())
                .redirectErrorStream(true)
                .start();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        watchdog.schedule(() -> {
            timedOut.set(true);
            node.destroyForcibly();
        }, TIMEOUT_SECONDS, TimeUnit.SECONDS);
        StringBuilder output = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("@sql ") || line.startsWith("@exec ")) {
                    out.write(answer(api, line) + "\n");
                    out.flush();
                } else {
                    output.append(line).append('\n');
                }
            }
        } finally {
            watchdog.shutdownNow();
        }
        node.waitFor(10, TimeUnit.SECONDS);
        String text = output.toString();
        System.out.print(text);
        assertFalse(timedOut.get(), "the browser test did not finish in " + TIMEOUT_SECONDS + " s:\n" + text);
        assertEquals(0, node.exitValue(), "the browser test failed:\n" + text);
        return text;
    }

    private static String answer(DataApi api, String line) {
        ObjectNode reply = DataApi.JSON.createObjectNode();
        try {
            boolean query = line.startsWith("@sql ");
            String sql = DataApi.JSON.readValue(line.substring(line.indexOf(' ') + 1), String.class);
            if (query) {
                reply.put("value", api.scalar(sql));
            } else {
                api.exec(sql);
                reply.put("ok", true);
            }
        } catch (IOException | RuntimeException e) {
            reply.put("error", String.valueOf(e.getMessage()));
        }
        return reply.toString();
    }
}
