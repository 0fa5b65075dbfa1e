package dev.rowan.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in PostgreSQL server holds real data: what Rowan answered 201 for survives the server being killed,
 * and Rowan brings the server back by itself, saying meanwhile that it is down (in /health/ready, the
 * Databases page and the answer of each request on its databases).
 */
class BuiltinServerCrashTest {
    private static final long BACK_WITHIN_MS = 30_000;

    @TempDir
    Path data;

    @Test
    void theServerRunsWithPostgresqlsDurableSettings() throws Exception {
        try (DataApi api = DataApi.start(data, Map.of(), true); Connection c = api.sql(); Statement s = c.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
                    assertTrue(rs.next());
                    assertEquals("on", rs.getString(1), setting);
                }
            }
        }
    }

    @Test
    void everyInsertAnsweredCreatedSurvivesSigkillOfTheServerAndRowanServesItsDatabasesAgainWithin30Seconds() throws Exception {
        try (DataApi api = DataApi.start(data, Map.of(), true)) {
            api.exec("CREATE TABLE notes (id bigserial PRIMARY KEY, v text NOT NULL)");
            String records = api.path("/tables/" + api.oid("public.notes") + "/records");
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            Map<String, Integer> refused = new ConcurrentHashMap<>();
            CountDownLatch enough = new CountDownLatch(60);
            ExecutorService writers = Executors.newFixedThreadPool(6);
            for (int t = 0; t < 6; t++) {
                int writer = t;
                writers.submit(() -> {
                    for (int n = 0; n < 2_000 && !stop.get(); n++) {
                        String v = writer + "-" + n;
                        HttpResponse<String> r = api.post(records, "{\"v\":\"" + v + "\"}");
                        if (r.statusCode() == 201) {
                            acknowledged.add(v);
                            enough.countDown();
                        } else {
                            refused.merge(r.statusCode() + " " + DataApi.parse(r).path("code").asText(), 1, Integer::sum);
                        }
                    }
                });
            }
            assertTrue(enough.await(60, TimeUnit.SECONDS), "60 inserts acknowledged before the kill");
            long killedAt = killServer();
            Thread.sleep(300); // the writers go on against the dead server: these must be refused, not acknowledged
            stop.set(true);
            writers.shutdown();
            assertTrue(writers.awaitTermination(60, TimeUnit.SECONDS));

            assertTrue(refused.keySet().stream().allMatch(k -> k.startsWith("503 ")),
                    "inserts against the dead server are refused as unavailable (503), not failed: " + refused);

            awaitCreated(api, records, "after", killedAt);
            acknowledged.add("after");
            Set<String> stored = new HashSet<>();
            try (Connection c = api.sql(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM notes")) {
                while (rs.next()) stored.add(rs.getString(1));
            }
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored);
            assertTrue(lost.isEmpty(), lost.size() + " of " + acknowledged.size() + " acknowledged inserts lost: " + lost);
            assertEquals(200, api.get("/health/ready").statusCode());
        }
        assertTrue(Processes.postgresIn(data.resolve("postgres")).isEmpty(), "Rowan's stop stops the restarted server too");
    }

    @Test
    void whileTheServerCannotComeBackHealthTheDatabasesPageAndRequestsSaySoThenItReturns() throws Exception {
        try (DataApi api = DataApi.start(data, Map.of(), true)) {
            api.exec("CREATE TABLE notes (id bigserial PRIMARY KEY, v text)");
            String records = api.path("/tables/" + api.oid("public.notes") + "/records");
            int port;
            try (Connection c = api.sql(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW port")) {
                assertTrue(rs.next());
                port = rs.getInt(1);
            }
            long killedAt;
            // Another program takes the server's port while it is down: each restart fails until the port is free.
            List<ServerSocket> squatters = new ArrayList<>();
            try {
                killedAt = killServer();
                squatters.addAll(bind(port));
                JsonNode ready = awaitProblem(api, "/health/ready", "restarting");
                assertEquals("not_ready", ready.get("code").asText());
                JsonNode failed = awaitProblem(api, "/health/ready", "attempt");
                assertFalse(failed.get("detail").asText().contains("failed"), "the failure's words (paths) are for signed-in people: " + failed);

                JsonNode listed = DataApi.parse(api.get("/api/v1/databases")).get(0);
                assertEquals("restarting", listed.get("status").asText(), listed.toString());
                String explained = listed.get("problem").get("detail").asText();
                assertTrue(explained.contains("restarting") && explained.contains("the last one failed: Another program now uses port"), listed.toString());

                long asked = System.nanoTime();
                HttpResponse<String> read = api.get(records);
                long answeredMs = (System.nanoTime() - asked) / 1_000_000;
                assertEquals(503, read.statusCode(), read.body());
                assertEquals("builtin_restarting", DataApi.parse(read).get("code").asText(), read.body());
                // at once, not after waiting for a connection to a server Rowan knows is down (3 s, then the wrong code
                // when the restart ended meanwhile: found by bench/soak.sh)
                assertTrue(answeredMs < 1_500, "answered after " + answeredMs + " ms");
                HttpResponse<String> insert = api.post(records, "{\"v\":\"while down\"}");
                assertEquals(503, insert.statusCode(), insert.body());
                assertEquals("builtin_restarting", DataApi.parse(insert).get("code").asText(), insert.body());
                // creating a database on it is refused as restarting too, not with the advice to connect another server instead
                HttpResponse<String> create = api.post("/api/v1/databases", "{\"name\":\"Later\",\"builtin\":true,\"sample\":false}");
                assertEquals(503, create.statusCode(), create.body());
                assertEquals("builtin_restarting", DataApi.parse(create).get("code").asText(), create.body());
            } finally {
                for (ServerSocket s : squatters) s.close();
            }
            awaitCreated(api, records, "back", killedAt);
            assertEquals(200, api.get("/health/ready").statusCode());
            assertEquals("ready", DataApi.parse(api.get("/api/v1/databases")).get(0).get("status").asText());
            assertEquals("0", api.scalar("SELECT count(*) FROM notes WHERE v = 'while down'"));
        }
    }

    /** SIGKILL to every process of the built-in server (its postmaster and all its children at once); returns when. */
    private long killServer() throws InterruptedException {
        List<ProcessHandle> server = Processes.postgresIn(data.resolve("postgres"));
        assertFalse(server.isEmpty(), "the built-in server's processes are found");
        server.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.currentTimeMillis() + 10_000;
        while (server.stream().anyMatch(p -> Processes.isRunning(p.pid()))) {
            if (System.currentTimeMillis() > deadline) fail("the built-in server's processes did not die");
            Thread.sleep(20);
        }
        return System.currentTimeMillis();
    }

    /** Inserts one record, retrying until Rowan answers 201; fails if that takes longer than the fixed 30 s. */
    private static void awaitCreated(DataApi api, String records, String v, long since) throws InterruptedException {
        HttpResponse<String> last = null;
        while (System.currentTimeMillis() - since < BACK_WITHIN_MS) {
            last = api.post(records, "{\"v\":\"" + v + "\"}");
            if (last.statusCode() == 201) return;
            Thread.sleep(100);
        }
        fail("no insert answered 201 within 30 s of the kill; last answer: " + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    private static JsonNode awaitProblem(DataApi api, String path, String inDetail) throws InterruptedException {
        HttpResponse<String> last = null;
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            last = api.get(path);
            if (last.statusCode() == 503 && DataApi.parse(last).path("detail").asText().contains(inDetail)) return DataApi.parse(last);
            Thread.sleep(50);
        }
        throw new AssertionError(path + " never said \"" + inDetail + "\"; last: " + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    /** Listens on the port on every loopback address PostgreSQL's "localhost" may bind. */
    private static List<ServerSocket> bind(int port) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        for (String address : List.of("127.0.0.1", "::1")) {
            try {
                sockets.add(new ServerSocket(port, 1, InetAddress.getByName(address)));
            } catch (IOException noIpv6) {
                if (address.equals("127.0.0.1")) throw noIpv6;
            }
        }
        return sockets;
    }
}
