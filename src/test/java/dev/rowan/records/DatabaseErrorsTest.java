package dev.rowan.records;

import static dev.rowan.records.Answers.ok;
import static dev.rowan.records.Answers.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors PostgreSQL raises for reasons other than a value, provoked for real: each becomes a problem
 * with its own status, code, sentence and hint, never an unexplained 500.
 */
class DatabaseErrorsTest {
    /** A role with a short lock and statement timeout, as a database's administrator may set them. */
    static final String IMPATIENT = "rowan_impatient_" + ProcessHandle.current().pid();
    static final String VIEW_OWNER = "rowan_view_owner_" + ProcessHandle.current().pid();

    @TempDir
    static Path tmp;
    static DataApi api;
    /** The same database, connected in Rowan as {@link #IMPATIENT}. */
    static String impatient;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        api.exec("CREATE TABLE guarded (id int PRIMARY KEY, price int)",
                "CREATE FUNCTION guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF NEW.price > 100 THEN RAISE EXCEPTION 'prices above 100 are set by finance' USING HINT = 'Ask finance.'; END IF;"
                        + " IF NEW.price = 13 THEN RAISE EXCEPTION USING ERRCODE = 'XX000', MESSAGE = 'could not read block 7 in file base/1/2'; END IF;"
                        + " RETURN NEW; END $$",
                "CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON guarded FOR EACH ROW EXECUTE FUNCTION guard()",
                "CREATE TABLE published (id int PRIMARY KEY, v text)", "INSERT INTO published VALUES (1, 'a')",
                "CREATE PUBLICATION rowan_errors_test FOR TABLE published", "ALTER TABLE published REPLICA IDENTITY NOTHING",
                "CREATE TABLE indexed (id int PRIMARY KEY, v text UNIQUE)",
                "CREATE TABLE secret (id int PRIMARY KEY)", "CREATE ROLE " + VIEW_OWNER + " NOLOGIN",
                "CREATE VIEW through_owner AS SELECT id FROM secret", "ALTER VIEW through_owner OWNER TO " + VIEW_OWNER,
                "CREATE VIEW slow AS SELECT 1 AS id, pg_sleep(20)::text AS waited",
                "CREATE TABLE locked (id int PRIMARY KEY)", "INSERT INTO locked VALUES (1)",
                "CREATE TABLE dl_a (id int PRIMARY KEY, v int)", "CREATE TABLE dl_b (id int PRIMARY KEY, v int)",
                "INSERT INTO dl_a VALUES (1, 0)", "INSERT INTO dl_b VALUES (1, 0)",
                // dl_a's row stays locked while the trigger sleeps, then it waits for dl_b's row
                "CREATE FUNCTION touch_b() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " PERFORM pg_sleep(2); UPDATE dl_b SET v = v + 1 WHERE id = 1; RETURN NEW; END $$",
                "CREATE TRIGGER touch_b AFTER UPDATE ON dl_a FOR EACH ROW EXECUTE FUNCTION touch_b()",
                "CREATE ROLE " + IMPATIENT + " LOGIN SUPERUSER",
                "ALTER ROLE " + IMPATIENT + " SET lock_timeout = '300ms'", "ALTER ROLE " + IMPATIENT + " SET statement_timeout = '2s'");
        HttpResponse<String> connected = api.post("/api/v1/databases", "{\"name\":\"Impatient\",\"url\":\""
                + api.url.replace("postgres://postgres@", "postgres://" + IMPATIENT + "@") + "\"}");
        assertEquals(201, connected.statusCode(), connected.body());
        impatient = "/api/v1/databases/" + DataApi.parse(connected).get("id").asLong();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void anExceptionRaisedByATriggerIsA422InItsAuthorsWords() {
        JsonNode p = problem(api.post(api.records("guarded"), "{\"id\":1,\"price\":500}"), 422, "routine_failed");
        assertEquals("Prices above 100 are set by finance.", p.get("detail").asText());
        assertEquals("Ask finance.", p.get("hint").asText());
        assertEquals("0", api.scalar("SELECT count(*) FROM guarded"));
    }

    @Test
    void anInternalErrorOfTheServerIsA500WhoseMessageStaysInTheLog() {
        HttpResponse<String> r = api.post(api.records("guarded"), "{\"id\":2,\"price\":13}");
        JsonNode p = problem(r, 500, "database_internal_error");
        assertFalse(r.body().contains("base/1/2"), r.body());
        assertTrue(p.get("detail").asText().contains("reference"), r.body());
    }

    @Test
    void aTableThatPublishesUpdatesWithoutReplicaIdentityIsA409SayingWhatToSet() {
        JsonNode p = problem(api.patch(api.records("published") + "/1", "{\"v\":\"b\"}"), 409, "wrong_state");
        assertTrue(p.get("hint").asText().contains("REPLICA IDENTITY"), p.toString());
        problem(api.delete(api.records("published") + "/1"), 409, "wrong_state");
        assertEquals("a", api.scalar("SELECT v FROM published WHERE id = 1"));
    }

    @Test
    void aValueBeyondAnIndexsLimitIsA422() {
        byte[] random = new byte[9000];
        new SecureRandom().nextBytes(random);
        String big = Base64.getEncoder().encodeToString(random);
        problem(api.post(api.records("indexed"), "{\"id\":1,\"v\":\"" + big + "\"}"), 422, "too_complex");
        assertEquals("0", api.scalar("SELECT count(*) FROM indexed"));
    }

    @Test
    void aViewWhoseOwnerMayNotReadItsTableIsA403() {
        problem(api.get(api.records("through_owner")), 403, "permission_denied");
    }

    @Test
    void aTableLockedBeyondTheLockTimeoutIsA409TryAgain() throws SQLException {
        try (Connection c = api.sql(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("LOCK TABLE locked IN ACCESS EXCLUSIVE MODE");
            JsonNode p = problem(api.get(impatient + "/tables/" + api.oid("locked") + "/records"), 409, "conflict");
            assertEquals("The table is busy", p.get("title").asText());
            c.rollback();
        }
        ok(api.get(impatient + "/tables/" + api.oid("locked") + "/records"));
    }

    @Test
    void aQueryBeyondTheStatementTimeoutIsA503() {
        JsonNode p = problem(api.get(impatient + "/tables/" + api.oid("slow") + "/records"), 503, "query_canceled");
        assertTrue(p.get("hint").asText().contains("statement_timeout"), p.toString());
    }

    @Test
    void aQueryWhoseConnectionAnAdministratorEndsIsA503() throws Exception {
        CompletableFuture<HttpResponse<String>> read = CompletableFuture.supplyAsync(() -> api.get(api.records("slow")));
        int pid = backendWaiting("PgSleep", "%slow%");
        api.scalar("SELECT pg_terminate_backend(?)", pid);
        problem(read.get(30, TimeUnit.SECONDS), 503, "database_unavailable");
        ok(api.get(api.records("locked")));
    }

    @Test
    void theLoserOfADeadlockIsA409TryAgain() throws Exception {
        try (Connection c = api.sql(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // only Rowan's side looks for the deadlock, so it is the one undone
            s.execute("SET deadlock_timeout = '60s'");
            s.execute("SET statement_timeout = '30s'");
            s.execute("UPDATE dl_b SET v = v + 1 WHERE id = 1");
            CompletableFuture<HttpResponse<String>> patch = CompletableFuture.supplyAsync(() -> api.patch(api.records("dl_a") + "/1", "{\"v\":5}"));
            backendWaiting("PgSleep", "%dl_a%");
            s.execute("UPDATE dl_a SET v = v + 1 WHERE id = 1");
            problem(patch.get(30, TimeUnit.SECONDS), 409, "conflict");
            c.rollback();
        }
        assertEquals("0|0", api.scalar("SELECT a.v || '|' || b.v FROM dl_a a, dl_b b"));
    }

    /** The process id of the backend running {@code query} that waits on {@code event}, waiting at most 20 seconds for it. */
    static int backendWaiting(String event, String query) throws SQLException, InterruptedException {
        try (Connection c = api.sql(); PreparedStatement ps = c.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE wait_event = ? AND query LIKE ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, event);
            ps.setString(2, query);
            for (int i = 0; i < 200; i++) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return rs.getInt(1);
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no backend waits on " + event + " running " + query);
    }
}
