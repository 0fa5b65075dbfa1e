package dev.rowan.records;

import static dev.rowan.records.Answers.problem;
import static dev.rowan.records.Answers.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.testing.DataApi;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exporting a table, or the rows of a filter in an order, as CSV. */
class ExportTest {
    @TempDir
    static Path tmp;
    static DataApi api;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        api.exec("CREATE TABLE \"Notes, \"\"2024\"\" ü\" (id int PRIMARY KEY, \"text, quoted\" text, n numeric, ok boolean, at date, tags text[])",
                "INSERT INTO \"Notes, \"\"2024\"\" ü\" VALUES"
                        + " (1, 'plain', 1.50, true, '2024-03-05', '{a,b}'),"
                        + " (2, 'with, comma', NULL, false, NULL, NULL),"
                        + " (3, 'with \"quotes\"', -2, NULL, '2024-12-31', '{\"x y\"}'),"
                        + " (4, E'two\\nlines\\r\\nand CRLF', 0, true, NULL, '{}'),"
                        + " (5, '', 3, NULL, NULL, NULL),"
                        + " (6, NULL, 4, NULL, NULL, NULL),"
                        + " (7, 'üñíçødé ✓ 日本', 5, NULL, NULL, NULL)",
                "CREATE TABLE big (id int PRIMARY KEY, v text)",
                "INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 200000) g");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static String export(String table) {
        return api.path("/tables/" + api.oid(table) + "/export.csv");
    }

    @Test
    void aSmallTableExportsExactlyWithRfc4180Quoting() {
        HttpResponse<String> r = api.get(export("\"Notes, \"\"2024\"\" ü\""));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/csv; charset=utf-8", r.headers().firstValue("Content-Type").orElse("").toLowerCase());
        assertEquals("attachment; filename=\"Notes_2024_.csv\"; filename*=UTF-8''Notes%2C%20%222024%22%20%C3%BC.csv",
                r.headers().firstValue("Content-Disposition").orElse(""));
        assertEquals("id,\"text, quoted\",n,ok,at,tags\r\n"
                + "1,plain,1.50,true,2024-03-05,\"{a,b}\"\r\n"
                + "2,\"with, comma\",,false,,\r\n"
                + "3,\"with \"\"quotes\"\"\",-2,,2024-12-31,\"{\"\"x y\"\"}\"\r\n"
                + "4,\"two\nlines\r\nand CRLF\",0,true,,{}\r\n"
                + "5,\"\",3,,,\r\n"
                + "6,,4,,,\r\n"
                + "7,üñíçødé ✓ 日本,5,,,\r\n", r.body());
    }

    @Test
    void theExportFollowsFilterSearchAndOrder() {
        String url = export("\"Notes, \"\"2024\"\" ü\"") + "?order=" + q("n:desc") + "&filter="
                + q("{\"column\":\"n\",\"op\":\"ge\",\"value\":0}") + "&search=" + q("i");
        HttpResponse<String> r = api.get(url);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("id,\"text, quoted\",n,ok,at,tags\r\n"
                + "1,plain,1.50,true,2024-03-05,\"{a,b}\"\r\n"
                + "4,\"two\nlines\r\nand CRLF\",0,true,,{}\r\n", r.body());
    }

    @Test
    void aBadRequestIsAProblemNotACsv() {
        problem(api.get(export("big") + "?filter=" + q("{\"column\":\"nope\",\"op\":\"eq\",\"value\":1}")), 400, "unknown_column");
        problem(api.get(export("big") + "?filter=" + q("{\"column\":\"id\",\"op\":\"eq\",\"value\":\"x\"}")), 400, "invalid_filter_value");
        problem(api.get(export("big") + "?order=" + q("nope")), 400, "unknown_column");
        problem(api.get(api.path("/tables/1/export.csv")), 404, "table_not_found");
    }

    @Test
    void anExportThatBreaksOffIsAFailedDownloadWithNoErrorInTheFile() throws Exception {
        api.exec("CREATE TABLE wide AS SELECT g AS id, repeat(md5(g::text), 8) AS v FROM generate_series(1, 100000) g");
        HttpResponse<InputStream> r = api.send(HttpRequest.newBuilder(api.uri(export("wide"))).GET(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = r.body()) {
            while (got.size() < 256 * 1024) {
                int n = in.read(buf);
                assertTrue(n >= 0, "the export ended before it was broken off");
                got.write(buf, 0, n);
            }
            // The exporting backend goes away (as when its database stops) while the rest of the file is still to come.
            assertEquals("t", api.scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid() AND query LIKE '%\"wide\"%'"));
            assertThrows(IOException.class, () -> {
                for (int n; (n = in.read(buf)) >= 0; ) got.write(buf, 0, n);
            }, "the client sees a failed download, not a complete one");
        }
        String[] lines = got.toString(StandardCharsets.UTF_8).split("\r\n", -1);
        assertEquals("id,v", lines[0]);
        assertTrue(lines.length - 2 < 100_000, "rows arrived: " + (lines.length - 2));
        for (int i = 1; i < lines.length - 1; i++) {
            assertTrue(lines[i].matches(i + ",[0-9a-f]{256}"), "only rows are in the file, no error: " + lines[i]);
        }
        String last = lines[lines.length - 1];
        assertTrue(last.matches("[0-9]*(,[0-9a-f]*)?"), "at most a row cut short after the last whole one: " + last);
    }

    @Test
    void aLargeTableStreamsEveryRowInOrder() throws Exception {
        HttpResponse<InputStream> r = api.send(HttpRequest.newBuilder(api.uri(export("big"))).GET(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        long rows = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertEquals("id,v", in.readLine());
            String line;
            while ((line = in.readLine()) != null) {
                rows++;
                if (rows % 50_000 == 0) {
                    assertTrue(line.startsWith(rows + ","), line);
                }
            }
        }
        assertEquals(200_000, rows);
        assertEquals("200000", api.scalar("SELECT count(*) FROM big"));
    }
}
