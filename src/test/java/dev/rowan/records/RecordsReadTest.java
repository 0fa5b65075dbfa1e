package dev.rowan.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rowan.records.Answers.ids;
import static dev.rowan.records.Answers.ok;
import static dev.rowan.records.Answers.problem;
import static dev.rowan.records.Answers.q;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading pages of records: paging by offset and by cursor, sorting, the JSON form of values, single records. */
class RecordsReadTest {
    @TempDir
    static Path tmp;
    static DataApi api;
    static String people;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        // Duplicates and NULLs in every sortable column, so ties and NULL placement matter.
        api.exec("CREATE TABLE people (id int PRIMARY KEY, name text, age int, active boolean, born date, score numeric(6,2),"
                        + " tags text[], data jsonb, spot point)",
                "INSERT INTO people SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'n' || (g % 5) END,"
                        + " CASE WHEN g % 4 = 0 THEN NULL ELSE g % 3 END, CASE WHEN g % 6 = 0 THEN NULL ELSE g % 2 = 0 END,"
                        + " DATE '2024-01-01' + (g % 9), g * 1.25, ARRAY['t' || (g % 2), 'x'], jsonb_build_object('g', g),"
                        + " point(g % 3, g) FROM generate_series(1, 37) g",
                "CREATE VIEW people_names AS SELECT name, age FROM people",
                "CREATE TABLE \"odd:names\" (id int PRIMARY KEY, \"a:b\" int, \"x,y\" int, \"[z\" int)",
                "INSERT INTO \"odd:names\" SELECT g, g % 3, -g, g % 2 FROM generate_series(1, 6) g");
        people = api.path("/tables/" + api.oid("people") + "/records");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** The ids in the order PostgreSQL gives for an ORDER BY written by hand. */
    static List<Integer> sqlIds(String query) {
        List<Integer> out = new ArrayList<>();
        try (Connection c = api.sql(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) out.add(rs.getInt(1));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void aSmallTableComesWholeWithAnExactCountAndNoCursor() {
        JsonNode page = ok(api.get(people));
        assertEquals(37, page.get("count").asInt());
        assertFalse(page.get("countIsEstimate").asBoolean());
        assertEquals(37, page.get("results").size());
        assertTrue(page.get("next").isNull());
        assertEquals(sqlIds("SELECT id FROM people ORDER BY id"), ids(page));
    }

    @Test
    void valuesKeepTheirJsonTypeOrComeAsPostgresText() {
        JsonNode first = ok(api.get(people + "?limit=1")).get("results").get(0);
        assertTrue(first.get("id").isIntegralNumber());
        assertEquals("n1", first.get("name").asText());
        assertEquals(1, first.get("age").asInt());
        assertTrue(first.get("active").isBoolean());
        assertFalse(first.get("active").asBoolean());
        assertEquals("2024-01-02", first.get("born").asText());
        assertTrue(first.get("score").isNumber());
        assertEquals("1.25", first.get("score").decimalValue().toPlainString());
        assertEquals("{t1,x}", first.get("tags").asText());
        assertTrue(first.get("data").isObject());
        assertEquals(1, first.get("data").get("g").asInt());
        assertEquals("(1,1)", first.get("spot").asText());
        assertEquals(List.of("id", "name", "age", "active", "born", "score", "tags", "data", "spot"),
                iterate(first.fieldNames()));
    }

    static List<String> iterate(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void limitAndOffsetCutThePageAndTheCountStaysTheWholeSet() {
        JsonNode page = ok(api.get(people + "?limit=5&offset=10"));
        assertEquals(List.of(11, 12, 13, 14, 15), ids(page));
        assertEquals(37, page.get("count").asInt());
        assertFalse(page.get("countIsEstimate").asBoolean());
        assertNotNull(page.get("next").textValue());
        JsonNode last = ok(api.get(people + "?limit=5&offset=35"));
        assertEquals(List.of(36, 37), ids(last));
        assertEquals(37, last.get("count").asInt());
        assertTrue(last.get("next").isNull());
        assertEquals(0, ok(api.get(people + "?offset=100")).get("results").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=1001", "limit=-1", "limit=ten", "offset=-5", "offset=1.5"})
    void aBadLimitOrOffsetIsA400NamingIt(String param) {
        JsonNode p = problem(api.get(people + "?" + param), 400, "invalid_parameter");
        assertTrue(p.get("detail").asText().contains(param.substring(0, param.indexOf('='))), p.toString());
    }

    @Test
    void sortingByColumnsWithNullsAndDuplicatesAppendsThePrimaryKey() {
        JsonNode page = ok(api.get(people + "?order=" + q("name:asc,age:desc")));
        assertEquals(sqlIds("SELECT id FROM people ORDER BY name ASC NULLS LAST, age DESC NULLS FIRST, id"), ids(page));
        JsonNode desc = ok(api.get(people + "?order=" + q("active:desc,born")));
        assertEquals(sqlIds("SELECT id FROM people ORDER BY active DESC NULLS FIRST, born ASC NULLS LAST, id"), ids(desc));
    }

    @Test
    void sortingIsStableFromOneRequestToTheNext() {
        String url = people + "?limit=10&offset=10&order=" + q("age:asc");
        List<Integer> first = ids(ok(api.get(url)));
        for (int i = 0; i < 5; i++) {
            assertEquals(first, ids(ok(api.get(url))));
        }
    }

    @Test
    void aColumnWithoutOrderingSortsByItsTextForm() {
        JsonNode page = ok(api.get(people + "?order=" + q("spot:desc")));
        assertEquals(sqlIds("SELECT id FROM people ORDER BY spot::text DESC NULLS FIRST, id"), ids(page));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "name:asc", "name:desc", "age:desc,name:asc", "name:asc,age:desc", "active:asc,born:desc", "active:desc,age:asc",
            "id:desc", "tags:asc", "data:desc", "spot:asc"})
    void walkingByCursorGivesExactlyTheRowsOfWalkingByOffset(String order) {
        String base = people + "?limit=4" + (order.isEmpty() ? "" : "&order=" + q(order));
        List<Integer> byOffset = new ArrayList<>();
        for (int offset = 0; offset < 40; offset += 4) byOffset.addAll(ids(ok(api.get(base + "&offset=" + offset))));
        List<Integer> byCursor = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = ok(api.get(base + (next == null ? "" : "&after=" + q(next))));
            byCursor.addAll(ids(page));
            next = page.get("next").textValue();
            assertTrue(++pages <= 10, "more pages than rows allow");
        } while (next != null);
        assertEquals(37, byOffset.size());
        assertEquals(byOffset, byCursor);
        assertEquals(37, byCursor.stream().distinct().count());
    }

    @Test
    void aCursorIsRefusedWithAnotherOrderOrFilter() {
        String next = ok(api.get(people + "?limit=3&order=name:asc")).get("next").textValue();
        problem(api.get(people + "?limit=3&order=name:desc&after=" + q(next)), 400, "cursor_mismatch");
        problem(api.get(people + "?limit=3&order=name:asc&search=n1&after=" + q(next)), 400, "cursor_mismatch");
        problem(api.get(people + "?limit=3&order=name:asc&offset=3&after=" + q(next)), 400, "invalid_parameter");
        assertEquals(3, ok(api.get(people + "?limit=3&order=name:asc&after=" + q(next))).get("results").size());
    }

    @Test
    void aDamagedCursorIsA400() {
        problem(api.get(people + "?after=not-a-cursor"), 400, "invalid_cursor");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"o\":\"id:asc\",\"q\":\"\",\"v\":[\"x\"]}".getBytes(StandardCharsets.UTF_8));
        problem(api.get(people + "?after=" + forged), 400, "cursor_mismatch");
        String next = ok(api.get(people + "?limit=2")).get("next").textValue();
        String json = new String(Base64.getUrlDecoder().decode(next), StandardCharsets.UTF_8);
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(
                json.replaceAll("\"v\":\\[\"2\"\\]", "\"v\":[\"two'; DROP TABLE people; --\"]").getBytes(StandardCharsets.UTF_8));
        problem(api.get(people + "?limit=2&after=" + tampered), 400, "invalid_cursor");
        assertEquals("37", api.scalar("SELECT count(*) FROM people"));
    }

    @Test
    void anUnknownSortColumnOrDirectionIsA400NamingIt() {
        JsonNode p = problem(api.get(people + "?order=" + q("nope:asc")), 400, "unknown_column");
        assertTrue(p.get("detail").asText().contains("nope"));
        problem(api.get(people + "?order=" + q("name:up")), 400, "unknown_column");
        problem(api.get(people + "?order=" + q("[[\"name\",\"sideways\"]]")), 400, "invalid_order");
        problem(api.get(people + "?order=" + q("name,,id")), 400, "invalid_order");
        problem(api.get(people + "?order=" + q("name,name:desc")), 400, "invalid_order");
        problem(api.get(people + "?order=" + q("[oops")), 400, "invalid_order");
    }

    @Test
    void namesWithColonsAndCommasCanBeSortedBy() {
        String odd = api.path("/tables/" + api.oid("\"odd:names\"") + "/records");
        assertEquals(List.of(3, 6, 1, 4, 2, 5), ids(ok(api.get(odd + "?order=" + q("a:b")))));
        assertEquals(List.of(2, 5, 1, 4, 3, 6), ids(ok(api.get(odd + "?order=" + q("a:b:desc")))));
        assertEquals(List.of(6, 5, 4, 3, 2, 1), ids(ok(api.get(odd + "?order=" + q("[[\"x,y\",\"asc\"]]")))));
        assertEquals(List.of(1, 3, 5, 2, 4, 6), ids(ok(api.get(odd + "?order=" + q("[[\"[z\",\"desc\"]]")))));
    }

    @Test
    void oneRecordByItsKey() {
        JsonNode r = ok(api.get(people + "/5"));
        assertEquals(5, r.get("id").asInt());
        assertEquals("n0", r.get("name").asText());
        problem(api.get(people + "/999"), 404, "record_not_found");
        problem(api.get(people + "/abc"), 404, "record_not_found");
    }

    @Test
    void aViewIsReadInAFixedOrderButHasNoCursor() {
        String view = api.path("/tables/" + api.oid("people_names") + "/records");
        JsonNode page = ok(api.get(view + "?limit=5"));
        assertEquals(5, page.get("results").size());
        assertEquals(37, page.get("count").asInt());
        assertTrue(page.get("next").isNull());
        assertEquals(page.get("results"), ok(api.get(view + "?limit=5")).get("results"));
        problem(api.get(view + "?after=abc"), 400, "keyset_unavailable");
        problem(api.get(view + "/1"), 404, "record_not_found");
    }

    @Test
    void aTableThatDoesNotExistIsA404() {
        problem(api.get(api.path("/tables/1/records")), 404, "table_not_found");
        problem(api.get(api.path("/tables/x/records")), 404, "table_not_found");
    }

    @Test
    void theTableIsReadAgainAfterItsStructureChanges() {
        api.exec("CREATE TABLE shifting (id int PRIMARY KEY, a text)", "INSERT INTO shifting VALUES (1, 'x')");
        String url = api.path("/tables/" + api.oid("shifting") + "/records");
        assertEquals("x", ok(api.get(url)).get("results").get(0).get("a").asText());
        api.exec("ALTER TABLE shifting RENAME COLUMN a TO b");
        assertEquals("x", ok(api.get(url)).get("results").get(0).get("b").asText());
        api.exec("ALTER TABLE shifting ALTER COLUMN b TYPE int USING length(b)");
        assertEquals(1, ok(api.get(url)).get("results").get(0).get("b").intValue());
        api.exec("ALTER TABLE shifting ADD COLUMN c boolean DEFAULT true");
        assertEquals(1, ok(api.get(url + "?order=c:desc&filter=" + q("{\"column\":\"c\",\"op\":\"is_true\"}"))).get("results").size());
        assertTrue(ok(api.get(url)).get("results").get(0).get("c").booleanValue());
        api.exec("ALTER TABLE shifting DROP COLUMN c");
        problem(api.get(url + "?order=c:desc"), 400, "unknown_column");
        assertEquals(List.of("id", "b"), iterate(ok(api.get(url)).get("results").get(0).fieldNames()));
        api.exec("ALTER TABLE shifting DROP CONSTRAINT shifting_pkey");
        assertTrue(ok(api.get(url + "?limit=1")).get("next").isNull());
    }
}
