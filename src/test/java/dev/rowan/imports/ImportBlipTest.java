package dev.rowan.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import dev.rowan.testing.FreePort;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rowan's internal database becomes unavailable while an import is loading: on PostgreSQL it is
 * stopped for several seconds, on SQLite another connection holds its write lock for longer than
 * Rowan waits for it. The load carries on without its progress being written, its final state is
 * written once the internal database answers again, nothing of it stays locked in the user database,
 * and the next import runs.
 *
 * <p>To be sure the outage falls in the middle of the load, the target table has a trigger that
 * waits, at one row, for an advisory lock the test holds: the load is held there until the internal
 * database is down.
 */
class ImportBlipTest {
    private static final int ROWS = 200_000;
    private static final int GATE_ROW = 20_000;
    private static final long GATE = 4242;
    private static final String KEY = "k".repeat(20) + "-shared-secret-key-for-tests";

    @TempDir
    Path tmp;

    @Test
    void anImportOutlivesItsPostgresqlInternalDatabaseStoppingForSeconds() throws Exception {
        Path pgData = tmp.resolve("internal-pg");
        int port = FreePort.find();
        EmbeddedPostgres internal = internalServer(pgData, port);
        try (DataApi api = DataApi.start(tmp.resolve("data"), Map.of("ROWAN_DATABASE_URL", "postgres://postgres@localhost:" + port + "/postgres",
                "ROWAN_SECRET_KEY", KEY), false)) {
            long id;
            try (Connection gate = holdGate(api)) {
                id = startGatedImport(api);
                internal.close();
                releaseGate(gate);
                // The load goes on while Rowan cannot write its progress.
                waitUntil("the rows to be committed while the internal database is down", () -> committed(api) == ROWS);
            }
            internal = internalServer(pgData, port);
            assertLoadedAndLeftNothingBehind(api, id);
        } finally {
            internal.close();
        }
    }

    @Test
    void anImportOutlivesItsSqliteInternalDatabaseBeingLockedByAnotherWriter() throws Exception {
        Path data = tmp.resolve("data");
        try (DataApi api = DataApi.start(data)) {
            long id;
            try (Connection gate = holdGate(api)) {
                id = startGatedImport(api);
                // A second writer (as another process would be) takes SQLite's one write lock; Rowan's writes wait
                // for it (busy_timeout 10 s) and then fail. This changes nothing in the file and ends with the test.
                try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("rowan.db"));
                     Statement s = writer.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                    long locked = System.currentTimeMillis();
                    releaseGate(gate);
                    waitUntil("the rows to be committed while the internal database is locked", () -> committed(api) == ROWS);
                    // Held for two of Rowan's waits: a progress write fails after the first, the first attempt to record
                    // the end after the second, and a later attempt records it.
                    Thread.sleep(Math.max(0, locked + 21_000 - System.currentTimeMillis()));
                    s.execute("ROLLBACK");
                }
            }
            assertLoadedAndLeftNothingBehind(api, id);
        }
    }

    @Test
    void anImportIsNotFailedAsSilentByTheInstanceRunningItWhenItsHeartbeatCouldNotBeWritten() throws Exception {
        Path data = tmp.resolve("data");
        try (DataApi api = DataApi.start(data)) {
            long id;
            try (Connection gate = holdGate(api)) {
                id = startGatedImport(api);
                // As after an outage of the internal database longer than a minute: the heartbeat is that old.
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("rowan.db"));
                     PreparedStatement ps = c.prepareStatement("UPDATE rowan_import SET heartbeat_at = ? WHERE id = ?")) {
                    ps.setLong(1, System.currentTimeMillis() - 61_000);
                    ps.setLong(2, id);
                    assertEquals(1, ps.executeUpdate());
                }
                JsonNode job = DataApi.parse(api.get(api.path("/imports/" + id)));
                assertEquals("running", job.get("state").asText(), job.toString());
                releaseGate(gate);
            }
            assertLoadedAndLeftNothingBehind(api, id);
        }
    }

    private static EmbeddedPostgres internalServer(Path dir, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port).setRegisterShutdownHook(true).start();
    }

    /** A table whose insert of row {@link #GATE_ROW} waits for the advisory lock {@link #GATE}, which the returned connection holds. */
    private static Connection holdGate(DataApi api) throws SQLException {
        api.exec("CREATE TABLE gated (n int, v text)",
                "CREATE FUNCTION gate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF NEW.n = " + GATE_ROW + " THEN PERFORM pg_advisory_xact_lock_shared(" + GATE + "); END IF; RETURN NEW; END $$",
                "CREATE TRIGGER gate BEFORE INSERT ON gated FOR EACH ROW EXECUTE FUNCTION gate()");
        Connection gate = api.sql();
        try (Statement s = gate.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + GATE + ")");
        }
        return gate;
    }

    private static void releaseGate(Connection gate) throws SQLException {
        try (Statement s = gate.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + GATE + ")");
        }
    }

    /** Starts an import of {@link #ROWS} rows into the gated table and waits until it is held at the gate. */
    private static long startGatedImport(DataApi api) throws InterruptedException {
        StringBuilder csv = new StringBuilder("n,v\n");
        String filler = "x".repeat(100);
        for (int i = 1; i <= ROWS; i++) csv.append(i).append(',').append(filler).append('\n');
        HttpResponse<String> r = api.send(Multipart.of("mode", "existing", "tableOid", Long.toString(api.oid("public.gated")))
                .file("gated.csv", csv.toString().getBytes(StandardCharsets.UTF_8)).post(api.uri(api.path("/imports"))),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        waitUntil("the load to reach the gate", () -> "1".equals(api.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")));
        return DataApi.parse(r).get("id").asLong();
    }

    private static long committed(DataApi api) {
        return Long.parseLong(api.scalar("SELECT count(*) FROM gated"));
    }

    private static void assertLoadedAndLeftNothingBehind(DataApi api, long id) throws InterruptedException {
        JsonNode job = ImportApiTest.waitFor(api, id);
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals(ROWS, job.get("rowsDone").asLong(), job.toString());
        assertEquals(ROWS, committed(api));
        assertEquals("0", api.scalar("SELECT count(*) FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND pid <> pg_backend_pid()"), "no lock of the import is left in the user database");
        HttpResponse<String> next = api.send(Multipart.of("mode", "existing", "tableOid", Long.toString(api.oid("public.gated")))
                .file("more.csv", "n,v\n-1,after\n".getBytes(StandardCharsets.UTF_8)).post(api.uri(api.path("/imports"))),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, next.statusCode(), next.body());
        JsonNode after = ImportApiTest.waitFor(api, DataApi.parse(next).get("id").asLong());
        assertEquals("done", after.get("state").asText(), after.toString());
        assertEquals("after", api.scalar("SELECT v FROM gated WHERE n = -1"));
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }
}
