package dev.rowan.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.UserFacingException;
import dev.rowan.testing.TestPostgres;
import dev.rowan.testing.TestRowan;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The internal database on a real PostgreSQL (the built-in server's binaries). */
class PostgresInternalDatabaseTest {
    private static final String KEY = "k".repeat(20) + "-shared-secret-key-for-tests";
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path tmp;

    private static Map<String, String> env(String url, String key) {
        return Map.of("ROWAN_DATABASE_URL", url, "ROWAN_SECRET_KEY", key);
    }

    private static int count(String url, String sql) throws SQLException {
        try (Connection c = TestPostgres.connect(TestPostgres.databaseName(url)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void twoInstancesStartingTogetherMigrateOnceAndBothServe() throws Exception {
        String url = TestPostgres.newDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<TestRowan>> starts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path dir = tmp.resolve("instance" + i);
            starts.add(pool.submit((Callable<TestRowan>) () -> TestRowan.start(dir, Map.of(), env(url, KEY))));
        }
        TestRowan a = starts.get(0).get();
        TestRowan b = starts.get(1).get();
        pool.shutdown();
        try {
            assertEquals(200, a.get("/health/ready").statusCode());
            assertEquals(200, b.get("/health/ready").statusCode());
            assertEquals(1, count(url, "SELECT count(*) FROM rowan_schema_history WHERE version = 1"));
            assertEquals(1, count(url, "SELECT count(*) FROM rowan_meta WHERE meta_key = 'installation_id'"));

            HttpResponse<String> setup = a.post("/api/v1/setup", "{\"token\":\"" + a.setupToken() + "\",\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
            assertEquals(201, setup.statusCode(), setup.body());
            String cookie = "rowan_session=" + TestRowan.sessionCookie(setup);
            assertEquals(200, b.get("/api/v1/auth/session", "Cookie", cookie).statusCode(), "instance B knows A's session");
            assertEquals(409, b.post("/api/v1/setup", "{\"token\":\"" + b.setupToken() + "\",\"username\":\"x\",\"password\":\"" + PASSWORD + "\"}").statusCode(),
                    "B's setup token died with A's setup");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aDifferentSecretKeyIsRefusedWithTheRecoveryPath() {
        String url = TestPostgres.newDatabase();
        try (TestRowan first = TestRowan.start(tmp.resolve("a"), Map.of(), env(url, KEY))) {
            assertEquals(200, first.get("/health/ready").statusCode());
        }
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> TestRowan.start(tmp.resolve("a"), Map.of(), env(url, "another-key-of-enough-length-0123456789")));
        assertTrue(e.getMessage().contains("is not the key this installation was set up with"), e.getMessage());
        assertTrue(e.getMessage().contains("rowan secret adopt"), e.getMessage());
        assertFalse(e.getMessage().contains("another-key-of-enough-length"), "never the key itself");
        assertFalse(e.getMessage().contains(KEY));
    }

    @Test
    void aChangedInternalDatabaseIsDetectedAndLeftUntouched() throws SQLException {
        String used = TestPostgres.newDatabase();
        try (TestRowan first = TestRowan.start(tmp, Map.of(), env(used, KEY))) {
            assertEquals(200, first.get("/health/ready").statusCode());
        }
        String empty = TestPostgres.newDatabase();
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(tmp, Map.of(), env(empty, KEY)));
        assertTrue(e.getMessage().contains("was used with the internal database PostgreSQL postgres@localhost"), e.getMessage());
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
        assertEquals(0, count(empty, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"),
                "nothing was created in the new database");
    }

    @Test
    void aDatabaseMigratedByANewerRowanIsRefusedUntouched() throws SQLException {
        String url = TestPostgres.newDatabase();
        try (TestRowan first = TestRowan.start(tmp, Map.of(), env(url, KEY))) {
            assertEquals(200, first.get("/health/ready").statusCode());
        }
        try (Connection c = TestPostgres.connect(TestPostgres.databaseName(url)); Statement s = c.createStatement()) {
            s.execute("INSERT INTO rowan_schema_history (version, description, checksum, rowan_version, applied_at) "
                    + "VALUES (99, 'from the future', 'abc', '9.0.0', 0)");
        }
        int rows = count(url, "SELECT count(*) FROM rowan_schema_history");
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(tmp, Map.of(), env(url, KEY)));
        assertTrue(e.getMessage().contains("was last updated by Rowan 9.0.0 (schema version 99)"), e.getMessage());
        assertTrue(e.getMessage().contains("Nothing was changed"), e.getMessage());
        assertEquals(rows, count(url, "SELECT count(*) FROM rowan_schema_history"));
    }

    @Test
    void aMigrationEditedAfterItWasAppliedIsRefused() throws SQLException {
        String url = TestPostgres.newDatabase();
        try (TestRowan first = TestRowan.start(tmp, Map.of(), env(url, KEY))) {
            assertEquals(200, first.get("/health/ready").statusCode());
        }
        try (Connection c = TestPostgres.connect(TestPostgres.databaseName(url)); Statement s = c.createStatement()) {
            s.execute("UPDATE rowan_schema_history SET checksum = 'edited' WHERE version = 1");
        }
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(tmp, Map.of(), env(url, KEY)));
        assertTrue(e.getMessage().contains("migration db/internal/1.sql (Users, sessions"), e.getMessage());
        assertTrue(e.getMessage().contains("differs from the one applied by Rowan"), e.getMessage());
    }

    @Test
    void anUnreachableInternalDatabaseIsExplained() {
        int port = dev.rowan.testing.FreePort.find();
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(tmp, Map.of(),
                env("postgres://rowan:pw-not-shown@127.0.0.1:" + port + "/rowan", KEY)));
        assertTrue(e.getMessage().contains("Rowan cannot connect to its internal database rowan@127.0.0.1:" + port + "/rowan"), e.getMessage());
        assertTrue(e.getMessage().contains("was refused"), e.getMessage());
        assertFalse(e.getMessage().contains("pw-not-shown"));
    }

    @Test
    void aMissingInternalDatabaseIsExplainedWithoutThePassword() {
        String missing = TestPostgres.newDatabase().replace("postgres@", "postgres:not-shown@") + "_missing";
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(tmp, Map.of(), env(missing, KEY)));
        assertTrue(e.getMessage().contains("the database \"" + TestPostgres.databaseName(missing) + "\" does not exist"), e.getMessage());
        assertFalse(e.getMessage().contains("not-shown"));
    }
}
