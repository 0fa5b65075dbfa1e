package dev.rowan.records;

import static dev.rowan.records.Answers.ok;
import static dev.rowan.records.Answers.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import dev.rowan.testing.TestRowan;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counting: exact while it is cheap, the planner's estimate (marked countIsEstimate) above
 * records.exact-count-limit, so a page of a huge table never counts it.
 */
class RecordsCountTest {
    @TempDir
    static Path tmp;
    static DataApi api;
    /** A second Rowan on the same database with records.exact-count-limit = 50. */
    static TestRowan strict;
    static String strictCookie;
    static long strictDb;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        api.exec("CREATE TABLE mid (id int PRIMARY KEY, v int)", "INSERT INTO mid SELECT g, g % 10 FROM generate_series(1, 5000) g",
                "CREATE TABLE large (id int PRIMARY KEY)", "INSERT INTO large SELECT generate_series(1, 30000)",
                "CREATE TABLE huge (id int PRIMARY KEY, v int) WITH (autovacuum_enabled = false)",
                "INSERT INTO huge SELECT g, g % 10 FROM generate_series(1, 200000) g",
                "CREATE TABLE notes (id int PRIMARY KEY, note text)", "INSERT INTO notes SELECT g, md5(g::text) FROM generate_series(1, 200000) g",
                "CREATE TABLE few (id int PRIMARY KEY)", "INSERT INTO few SELECT generate_series(1, 40)",
                "CREATE TABLE several (id int PRIMARY KEY)", "INSERT INTO several SELECT generate_series(1, 120)",
                "ANALYZE mid, large, huge, notes, few, several");
        strict = TestRowan.start(tmp.resolve("strict"), Map.of("records.exact-count-limit", "50"), Map.of());
        HttpResponse<String> setup = strict.post("/api/v1/setup",
                "{\"token\":\"" + strict.setupToken() + "\",\"username\":\"admin\",\"password\":\"correct horse battery\"}");
        assertEquals(201, setup.statusCode(), setup.body());
        strictCookie = "rowan_session=" + TestRowan.sessionCookie(setup);
        String csrf = DataApi.parse(setup).get("csrfToken").asText();
        HttpResponse<String> connected = strict.post("/api/v1/databases", "{\"name\":\"Same\",\"url\":\"" + api.url + "\"}",
                "Cookie", strictCookie, "X-CSRF-Token", csrf);
        assertEquals(201, connected.statusCode(), connected.body());
        strictDb = DataApi.parse(connected).get("id").asLong();
    }

    @AfterAll
    static void stop() {
        strict.close();
        api.close();
    }

    static JsonNode page(String table, String query) {
        return ok(api.get(api.path("/tables/" + api.oid(table) + "/records?" + query)));
    }

    static JsonNode strictPage(String table, String query) {
        return ok(strict.get("/api/v1/databases/" + strictDb + "/tables/" + api.oid(table) + "/records?" + query, "Cookie", strictCookie));
    }

    static void assertCount(JsonNode page, long count, boolean estimate) {
        assertEquals(count, page.get("count").asLong(), page.get("count").toString());
        assertEquals(estimate, page.get("countIsEstimate").asBoolean());
    }

    static String leaf(String column, String op, int value) {
        return q("{\"column\":\"" + column + "\",\"op\":\"" + op + "\",\"value\":" + value + "}");
    }

    @Test
    void belowTheLimitTheCountIsExact() {
        assertCount(page("mid", "limit=100"), 5000, false);
        assertCount(page("mid", "limit=10&filter=" + leaf("v", "eq", 3)), 500, false);
    }

    @Test
    void aboveTheLimitTheCountIsTheEstimateMarkedAsSuch() {
        JsonNode large = page("large", "limit=100");
        assertCount(large, 30000, true);
        JsonNode huge = page("huge", "limit=100&filter=" + leaf("id", "ge", 1));
        assertTrue(huge.get("countIsEstimate").asBoolean());
        assertTrue(huge.get("count").asLong() > 100_000, huge.get("count").toString());
    }

    @Test
    void aHugeTableIsNeverCountedOnlyEstimated() {
        api.exec("CREATE TABLE huge_copy (id int PRIMARY KEY) WITH (autovacuum_enabled = false)",
                "INSERT INTO huge_copy SELECT generate_series(1, 200000)", "ANALYZE huge_copy", "DELETE FROM huge_copy WHERE id > 150000");
        JsonNode page = page("huge_copy", "limit=100");
        // The statistics still say 200,000 rows: a count would have found 150,000.
        assertCount(page, 200_000, true);
        assertEquals("150000", api.scalar("SELECT count(*) FROM huge_copy"));
    }

    @Test
    void aFilterThatWouldNeedAFullScanToCountIsEstimated() {
        // Few rows contain "abc", so counting them exactly means reading all 200,000: the planner's estimate is given instead.
        JsonNode page = page("notes", "limit=10&filter=" + q("{\"column\":\"note\",\"op\":\"contains\",\"value\":\"abc\"}"));
        assertEquals(10, page.get("results").size());
        assertTrue(page.get("countIsEstimate").asBoolean());
        assertTrue(page.get("count").asLong() >= 11, page.get("count").toString());
    }

    @Test
    void aPageThatReachesTheEndKnowsTheExactCount() {
        assertCount(page("huge", "limit=100&offset=199950"), 200_000, false);
        assertCount(page("huge", "limit=100&filter=" + leaf("id", "le", 50)), 50, false);
    }

    @Test
    void aSelectiveFilterOnAHugeTableIsCountedExactly() {
        assertCount(page("huge", "limit=10&filter=" + leaf("id", "le", 5000)), 5000, false);
    }

    @Test
    void theCountIsKeptWhilePagingByCursor() {
        JsonNode first = page("mid", "limit=1000");
        JsonNode second = page("mid", "limit=1000&after=" + q(first.get("next").asText()));
        assertCount(second, 5000, false);
        assertEquals(1001, second.get("results").get(0).get("id").asInt());
    }

    @Test
    void theLimitIsTheConfiguredOption() {
        assertCount(strictPage("few", "limit=10"), 40, false);
        assertCount(strictPage("few", ""), 40, false);
        assertCount(strictPage("several", "limit=10"), 120, true);
        assertCount(strictPage("mid", "limit=10"), 5000, true);
        assertCount(strictPage("mid", "limit=10&filter=" + leaf("id", "le", 45)), 45, false);
        assertCount(page("several", "limit=10"), 120, false);
    }
}
