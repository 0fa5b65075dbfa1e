package dev.rowan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the table grid in headless Chromium (e2e/grid.mjs, playwright-core) against a real Rowan with
 * a connected PostgreSQL database: books (1,000 rows of integer, text, boolean, date, email, enum, a
 * foreign key to authors, json and money), authors, and a 200,000-row table whose last 5,000 rows
 * were deleted after ANALYZE, so that its estimated count is too high. At each "check - …" line of the
 * script, this side checks the database with SQL (or the display through the API) and answers "ok"
 * or why not, before the script goes on. Screenshots go to target/screenshots/grid/.
 */
class BrowserGridTest {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));
    private static final long TIMEOUT_SECONDS = 170;
    private static final int BIG_ROWS = 195_000;

    @TempDir
    Path tmp;

    private DataApi api;

    @Test
    void aPersonScrollsSortsEditsPastesAndArrangesTheGrid() throws IOException, InterruptedException {
        Path shots = PROJECT.resolve("target/screenshots/grid");
        Files.createDirectories(shots);
        Files.deleteIfExists(shots.resolve("failure.png"));
        try (DataApi started = DataApi.start(tmp.resolve("data"))) {
            api = started;
            createTables();
            long books = api.oid("public.books");
            long authors = api.oid("public.authors");
            long big = api.oid("public.big");

            ProcessBuilder script = new ProcessBuilder("node", "grid.mjs", api.rowan().baseUrl(), "admin", "correct horse battery",
                    shots.toString(), Long.toString(api.db), Long.toString(books), Long.toString(authors), Long.toString(big),
                    Integer.toString(BIG_ROWS))
                    .directory(PROJECT.resolve("e2e").toFile())
                    .redirectErrorStream(true);
            script.environment().put("GRID_SQL_CHECKS", "1");
            Process node = script.start();
            StringBuilder output = new StringBuilder();
            List<String> checked = new ArrayList<>();
            Thread watchdog = new Thread(() -> {
                try {
                    if (!node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) node.destroyForcibly();
                } catch (InterruptedException e) {
                    node.destroyForcibly();
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                    Writer answers = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.startsWith("check - ")) {
                        String name = line.substring("check - ".length());
                        String verdict = check(name, books);
                        checked.add(name + ": " + verdict);
                        answers.write(verdict + "\n");
                        answers.flush();
                    }
                }
            }
            boolean finished = node.waitFor(10, TimeUnit.SECONDS);
            assertTrue(finished, "the browser test did not finish in " + TIMEOUT_SECONDS + " s:\n" + output);
            assertEquals(0, node.exitValue(), "the browser test failed:\n" + output + "\ndatabase checks:\n" + String.join("\n", checked));
            assertTrue(output.toString().contains("ok - the large table"), output.toString());
            assertEquals(13, checked.size(), "every database check ran:\n" + String.join("\n", checked));
            assertTrue(Files.exists(shots.resolve("14-big-end.png")), "screenshots are saved under " + shots);
        }
    }

    private void createTables() {
        api.exec(
                "CREATE TYPE mood AS ENUM ('happy', 'calm', 'grumpy')",
                "CREATE TABLE authors (id integer PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO authors SELECT g, 'Author ' || g FROM generate_series(1, 50) g",
                "INSERT INTO authors VALUES (51, 'Unused author')",
                """
                CREATE TABLE books (
                  id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                  title text NOT NULL,
                  pages integer,
                  in_print boolean,
                  published date,
                  contact rowan_types.email,
                  mood mood,
                  author_id integer REFERENCES authors (id),
                  notes jsonb,
                  price rowan_types.money)""",
                """
                INSERT INTO books (id, title, pages, in_print, published, contact, mood, author_id, notes, price)
                  OVERRIDING SYSTEM VALUE
                  SELECT g, 'Book ' || lpad(g::text, 4, '0'), 100 + g % 400, g % 2 = 0, date '2000-01-01' + g,
                         ('writer' || g || '@example.org')::rowan_types.email, (ARRAY['happy', 'calm', 'grumpy'])[1 + g % 3]::mood,
                         1 + g % 50, CASE WHEN g % 10 = 0 THEN jsonb_build_object('n', g) END, (g % 100 + 0.5)::text::rowan_types.money
                  FROM generate_series(1, 1000) g""",
                "SELECT setval(pg_get_serial_sequence('books', 'id'), 1000)",
                "CREATE TABLE big (id bigint PRIMARY KEY, label text, n integer)",
                "INSERT INTO big SELECT g, 'row ' || g, g % 1000 FROM generate_series(1, " + (BIG_ROWS + 5_000) + ") g",
                "VACUUM ANALYZE big",
                // The planner keeps counting the deleted rows: the grid's count starts as an estimate that is too high.
                "DELETE FROM big WHERE id > " + BIG_ROWS);
    }

    /** The check the script asks for by name: "ok", or what is wrong. */
    private String check(String name, long books) {
        Map<String, Supplier<String>> checks = new LinkedHashMap<>();
        checks.put("title of book 1 is \"Edited title\"", () -> expect("SELECT title FROM books WHERE id = 1", "Edited title"));
        checks.put("book 1 is in print", () -> expect("SELECT in_print::text FROM books WHERE id = 1", "true"));
        checks.put("book 1 was published on 2024-03-05", () -> expect("SELECT published::text FROM books WHERE id = 1", "2024-03-05"));
        checks.put("book 1 refers to author 51", () -> expect("SELECT author_id::text FROM books WHERE id = 1", "51"));
        checks.put("book 2 still has 102 pages", () -> expect("SELECT pages::text FROM books WHERE id = 2", "102"));
        checks.put("books 10 and 11 have the title, pages and in_print of books 3 and 4", () -> expect(
                "SELECT string_agg(concat_ws('|', title, pages, in_print::text), ';' ORDER BY id) FROM books WHERE id IN (10, 11)",
                "Book 0003|103|false;Book 0004|104|true"));
        checks.put("books 20 and 21 are \"Pasted A\" with 150 pages and \"Pasted B\" with 121 pages", () -> expect(
                "SELECT string_agg(concat_ws('|', title, pages), ';' ORDER BY id) FROM books WHERE id IN (20, 21)",
                "Pasted A|150;Pasted B|121"));
        checks.put("books 30 and 31 have no pages, in_print or published", () -> expect(
                "SELECT count(*)::text FROM books WHERE id IN (30, 31) AND pages IS NULL AND in_print IS NULL AND published IS NULL", "2"));
        checks.put("a book \"Added in the grid\" with 1234 pages exists and there are 1001 books", () -> expect(
                "SELECT (SELECT string_agg(pages::text, ',') FROM books WHERE title = 'Added in the grid') || ' of ' || count(*) FROM books",
                "1234 of 1001"));
        checks.put("there are two books \"Added in the grid\" and 1002 books", () -> expect(
                "SELECT count(*) FILTER (WHERE title = 'Added in the grid') || ' of ' || count(*) FROM books", "2 of 1002"));
        checks.put("no book \"Added in the grid\" is left and there are 1000 books", () -> expect(
                "SELECT count(*) FILTER (WHERE title = 'Added in the grid') || ' of ' || count(*) FROM books", "0 of 1000"));
        checks.put("there are still 51 authors", () -> expect("SELECT count(*)::text FROM authors", "51"));
        Supplier<String> found = checks.get(name);
        if (found != null) return found.get();
        Matcher display = Pattern.compile("the display of books puts mood before title and makes title (\\d+) px wide").matcher(name);
        if (display.matches()) return display(books, Integer.parseInt(display.group(1)));
        return "no such check: " + name;
    }

    private String expect(String query, String expected) {
        String actual = api.scalar(query);
        return expected.equals(actual) ? "ok" : "expected " + expected + " but the database has " + actual;
    }

    /** The arrangement as Rowan keeps it (GET …/tables/{table} gives the columns in that order, with widths). */
    private String display(long books, int width) {
        HttpResponse<String> r = api.get(api.path("/tables/" + books));
        if (r.statusCode() != 200) return "GET the table answered " + r.statusCode() + ": " + r.body();
        List<String> names = new ArrayList<>();
        JsonNode title = null;
        for (JsonNode column : DataApi.parse(r).get("columns")) {
            names.add(column.get("name").asText());
            if (column.get("name").asText().equals("title")) title = column;
        }
        if (names.indexOf("mood") > names.indexOf("title")) return "the columns are in the order " + names;
        if (title == null || title.get("width").isNull() || Math.abs(title.get("width").asInt() - width) > 1) {
            return "expected title " + width + " px wide, but the table says " + (title == null ? "nothing" : title.get("width"));
        }
        return "ok";
    }
}
