package dev.rowan.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports that no Rowan runs any more end as failed, with nothing loaded: those a Rowan had not
 * finished when it stopped (marked when it starts again), and those of another instance that has
 * gone silent (marked when someone asks about them), while another live instance's import is left alone.
 */
class ImportRestartTest {
    @TempDir
    Path tmp;

    @Test
    void importsCutShortByAStopAreFailedWhenRowanStartsAgainAndNothingIsLoaded() throws Exception {
        Path data = tmp.resolve("data");
        DataApi api = DataApi.start(data);
        long db = api.db;
        long queued;
        api.exec("CREATE TABLE blocked (a int)");
        String oid = Long.toString(api.oid("public.blocked"));
        try (Connection lock = api.sql()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE blocked IN ACCESS EXCLUSIVE MODE");
            }
            // Two imports wait for the lock (as many as load at once); the third waits for its turn.
            long[] ids = new long[ImportJobs.CONCURRENT + 1];
            for (int i = 0; i < ids.length; i++) {
                HttpResponse<String> r = api.send(Multipart.of("mode", "existing", "tableOid", oid)
                        .file("a.csv", "a\n1\n2\n".getBytes(StandardCharsets.UTF_8)).post(api.uri(api.path("/imports"))), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, r.statusCode(), r.body());
                ids[i] = DataApi.parse(r).get("id").asLong();
            }
            queued = ids[ids.length - 1];
            JsonNode waiting = DataApi.parse(api.get(api.path("/imports/" + queued)));
            assertEquals("running", waiting.get("state").asText());
            assertEquals("queued", waiting.get("phase").asText());
            api.close();
            lock.rollback();
        }
        assertEquals("0", scalar(api, "SELECT count(*) FROM blocked"));

        try (TestRowan again = TestRowan.start(data)) {
            HttpResponse<String> login = again.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"correct horse battery\"}");
            assertEquals(200, login.statusCode(), login.body());
            String cookie = "rowan_session=" + TestRowan.sessionCookie(login);
            JsonNode job = DataApi.parse(again.get("/api/v1/databases/" + db + "/imports/" + queued, "Cookie", cookie));
            assertEquals("failed", job.get("state").asText(), job.toString());
            assertEquals(ImportJobs.STOPPED, job.get("message").asText());
            assertEquals(ImportJobs.STOPPED, job.at("/errors/0/message").asText());
            assertTrue(job.get("phase").isNull());
            for (JsonNode j : DataApi.parse(again.get("/api/v1/databases/" + db + "/imports", "Cookie", cookie))) {
                assertEquals("failed", j.get("state").asText(), j.toString());
            }
            assertEquals(List.of(), uploads(data), "the stopped imports' files are removed");
            assertEquals("0", scalar(api, "SELECT count(*) FROM blocked"));
        }
    }

    @Test
    void anotherInstancesImportIsLeftAloneWhileItIsHeardOfAndFailedOnceItFallsSilent() throws Exception {
        Path data = tmp.resolve("data");
        DataApi api = DataApi.start(data);
        long db = api.db;
        api.close();
        long now = System.currentTimeMillis();
        long alive = insertRunning(data, db, "another-instance", now);
        long silent = insertRunning(data, db, "another-instance", now);

        try (TestRowan again = TestRowan.start(data)) {
            HttpResponse<String> login = again.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"correct horse battery\"}");
            String cookie = "rowan_session=" + TestRowan.sessionCookie(login);
            assertEquals("running", DataApi.parse(again.get("/api/v1/databases/" + db + "/imports/" + alive, "Cookie", cookie)).get("state").asText());
            try (Connection c = internal(data); PreparedStatement ps = c.prepareStatement("UPDATE rowan_import SET heartbeat_at = ? WHERE id = ?")) {
                ps.setLong(1, now - 61_000);
                ps.setLong(2, silent);
                ps.executeUpdate();
            }
            JsonNode job = DataApi.parse(again.get("/api/v1/databases/" + db + "/imports/" + silent, "Cookie", cookie));
            assertEquals("failed", job.get("state").asText(), job.toString());
            assertEquals(ImportJobs.STOPPED, job.get("message").asText());
            assertEquals("running", DataApi.parse(again.get("/api/v1/databases/" + db + "/imports/" + alive, "Cookie", cookie)).get("state").asText());
        }
    }

    private static long insertRunning(Path data, long db, String instance, long heartbeat) throws SQLException {
        try (Connection c = internal(data); PreparedStatement ps = c.prepareStatement("INSERT INTO rowan_import (database_id, instance_id, state, phase,"
                + " import_mode, on_error, schema_name, table_name, settings, column_list, bytes_total, bytes_done, rows_done, rows_skipped,"
                + " error_count, created_at, heartbeat_at) VALUES (?, ?, 'running', 'loading', 'new', 'abort', 'public', 'elsewhere', '{}', '[]',"
                + " 10, 5, 1, 0, 0, ?, ?) RETURNING id")) {
            ps.setLong(1, db);
            ps.setString(2, instance);
            ps.setLong(3, heartbeat);
            ps.setLong(4, heartbeat);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Connection internal(Path data) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("rowan.db"));
    }

    private static String scalar(DataApi api, String sql) {
        return api.scalar(sql);
    }

    private static List<String> uploads(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("imports"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("upload-")).toList();
        }
    }
}
