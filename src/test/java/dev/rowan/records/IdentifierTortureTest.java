package dev.rowan.records;

import static dev.rowan.records.Answers.ok;
import static dev.rowan.records.Answers.q;
import static dev.rowan.records.Answers.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rowan.postgres.Identifiers;
import dev.rowan.testing.DataApi;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names with spaces, quotes, Unicode, reserved words, SQL and JDBC punctuation and the full 63 bytes,
 * in the schema, the table and every column: readable, sortable, filterable, searchable, writable,
 * exportable, and usable through foreign keys.
 */
class IdentifierTortureTest {
    @TempDir
    static Path tmp;
    static DataApi api;

    static final String SCHEMA = "Odd \"Schema\" ü";
    /** 63 bytes in UTF-8, the most PostgreSQL keeps. */
    static final String TABLE = "Tâble \"quoted\" select; --" + "x".repeat(63 - "Tâble \"quoted\" select; --".getBytes(StandardCharsets.UTF_8).length);
    static final String LONG_COLUMN = "column_" + "é".repeat(28);
    static final List<String> COLUMNS = List.of("order", "a\"b", "ünï cödé", "with space", "UPPER", LONG_COLUMN, "a:b,c", "?", "$1", "--", "\\",
            "%_", "x'y");
    static String records;

    /**
     * Every alias and generated name the records SQL uses ({@code t} the table, {@code s} the selected
     * row, {@code d} the record, {@code k} key lists, {@code x(e, i)} array elements, {@code c1…} and
     * {@code k1…} their columns, the {@code changed} row) as column names: none may be taken for another.
     */
    static final String ALIASES = "public.\"aliases\"";
    static String aliasRecords;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        assertEquals(63, TABLE.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(63, LONG_COLUMN.getBytes(StandardCharsets.UTF_8).length);
        String table = Identifiers.quote(SCHEMA) + "." + Identifiers.quote(TABLE);
        List<String> definitions = new ArrayList<>();
        for (String c : COLUMNS) definitions.add(Identifiers.quote(c) + (c.equals("order") ? " text PRIMARY KEY" : " text"));
        api.exec("CREATE SCHEMA " + Identifiers.quote(SCHEMA),
                "CREATE TABLE " + table + " (" + String.join(", ", definitions) + ")",
                "INSERT INTO " + table + " SELECT 'key ' || g || ' /?#', " + String.join(", ", COLUMNS.stream().skip(1)
                        .map(c -> "'" + c.replace("'", "''") + " ' || g").toList()) + " FROM generate_series(1, 5) g",
                "CREATE TABLE " + Identifiers.quote(SCHEMA) + ".\"from\" (\"where\" int PRIMARY KEY, \"group by\" text REFERENCES " + table + ")",
                "INSERT INTO " + Identifiers.quote(SCHEMA) + ".\"from\" VALUES (1, 'key 2 /?#'), (2, 'key 2 /?#'), (3, NULL)");
        records = api.path("/tables/" + api.oid(table) + "/records");
        api.exec("CREATE TABLE " + ALIASES + " (d int PRIMARY KEY, s text, t text, x text[], k int REFERENCES " + ALIASES + ","
                        + " c1 numeric, c2 text, k1 text, e text, i int, changed text, row_to_json text)",
                "INSERT INTO " + ALIASES + " SELECT g, 's ' || g, 't ' || g, ARRAY['x ' || g], CASE WHEN g > 1 THEN 1 END, g * 10, 'c2 ' || g,"
                        + " 'k1 ' || g, 'e ' || g, g, 'changed ' || g, 'json ' || g FROM generate_series(1, 3) g");
        aliasRecords = api.path("/tables/" + api.oid(ALIASES) + "/records");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static List<String> keys(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("results").forEach(r -> out.add(r.get("order").asText()));
        return out;
    }

    @Test
    void everyColumnIsReadUnderItsOwnName() {
        JsonNode page = ok(api.get(records));
        assertEquals(5, page.get("count").asInt());
        JsonNode first = page.get("results").get(0);
        assertEquals("key 1 /?#", first.get("order").asText());
        for (String c : COLUMNS.subList(1, COLUMNS.size())) {
            assertEquals(c + " 1", first.get(c).asText(), c);
        }
    }

    @Test
    void everyColumnSortsAndPagesByCursor() {
        for (String c : COLUMNS) {
            String order = "[[" + DataApi.JSON.valueToTree(c) + ",\"desc\"]]";
            JsonNode page = ok(api.get(records + "?limit=2&order=" + q(order)));
            assertEquals(List.of("key 5 /?#", "key 4 /?#"), keys(page), c);
            JsonNode next = ok(api.get(records + "?limit=2&order=" + q(order) + "&after=" + q(page.get("next").asText())));
            assertEquals(List.of("key 3 /?#", "key 2 /?#"), keys(next), c);
        }
    }

    @Test
    void everyColumnFiltersAndSearchFindsIn() {
        for (String c : COLUMNS.subList(1, COLUMNS.size())) {
            ObjectNode leaf = DataApi.JSON.createObjectNode().put("column", c).put("op", "eq").put("value", c + " 3");
            assertEquals(List.of("key 3 /?#"), keys(ok(api.get(records + "?filter=" + q(leaf.toString())))), c);
        }
        assertEquals(List.of("key 4 /?#"), keys(ok(api.get(records + "?search=" + q("%_ 4")))));
        assertEquals(List.of("key 2 /?#"), keys(ok(api.get(records + "?search=" + q("x'y 2")))));
    }

    @Test
    void recordsAreWrittenAndAddressedWhateverTheNames() {
        ObjectNode row = DataApi.JSON.createObjectNode();
        for (String c : COLUMNS) row.put(c, c.equals("order") ? "new/one ?" : "v " + c);
        JsonNode created = status(api.post(records, row.toString()), 201);
        assertEquals("v ünï cödé", created.get("ünï cödé").asText());
        String key = "/" + q("new/one ?");
        assertEquals("changed", ok(api.patch(records + key, DataApi.JSON.createObjectNode().put("a\"b", "changed").toString())).get("a\"b").asText());
        assertEquals("changed", api.scalar("SELECT \"a\"\"b\" FROM " + Identifiers.quote(SCHEMA) + "." + Identifiers.quote(TABLE)
                + " WHERE \"order\" = 'new/one ?'"));
        HttpResponse<String> deleted = api.delete(records + key);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals("5", api.scalar("SELECT count(*) FROM " + Identifiers.quote(SCHEMA) + "." + Identifiers.quote(TABLE)));
    }

    @Test
    void theExportHeaderNamesEveryColumn() {
        HttpResponse<String> r = api.get(records.replace("/records", "/export.csv"));
        assertEquals(200, r.statusCode(), r.body());
        String header = r.body().substring(0, r.body().indexOf("\r\n"));
        assertEquals("order,\"a\"\"b\",ünï cödé,with space,UPPER," + LONG_COLUMN + ",\"a:b,c\",?,$1,--,\\,%_,x'y", header);
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename=\"T_ble_quoted_select_--xxx"));
    }

    @Test
    void foreignKeysBetweenOddlyNamedTablesWork() {
        String from = api.path("/tables/" + api.oid(Identifiers.quote(SCHEMA) + ".\"from\"") + "/records");
        JsonNode page = ok(api.get(from));
        assertEquals("key 2 /?#", page.get("summaries").get("group by").get("key 2 /?#").asText());
        JsonNode candidates = ok(api.get(from.replace("/records", "/columns/2/candidates") + "?search=" + q("4 /?")));
        assertEquals("key 4 /?#", candidates.get(0).get("key").asText());
        JsonNode referrers = ok(api.get(records + "/" + q("key 2 /?#") + "/referrers"));
        assertEquals("from", referrers.get(0).get("table").asText());
        assertEquals(SCHEMA, referrers.get(0).get("schema").asText());
        assertEquals(2, referrers.get(0).get("count").asInt());
    }

    @Test
    void columnsNamedLikeTheAliasesOfTheSqlAreReadSortedFilteredAndSearched() {
        JsonNode page = ok(api.get(aliasRecords + "?order=" + q("t:desc")));
        assertEquals(3, page.get("count").asInt());
        JsonNode first = page.get("results").get(0);
        assertEquals(3, first.get("d").asInt());
        assertEquals("s 3", first.get("s").asText());
        assertEquals("t 3", first.get("t").asText());
        assertEquals("{\"x 3\"}", first.get("x").asText());
        assertEquals(30, first.get("c1").asInt());
        assertEquals("changed 3", first.get("changed").asText());
        assertEquals("json 3", first.get("row_to_json").asText());
        assertEquals("s 2", ok(api.get(aliasRecords + "/2")).get("s").asText());
        for (String c : List.of("d", "s", "t", "k", "c1", "c2", "k1", "e", "i", "changed", "row_to_json")) {
            JsonNode next = ok(api.get(aliasRecords + "?limit=1&order=" + q(c + ":desc") + "&after="
                    + q(ok(api.get(aliasRecords + "?limit=1&order=" + q(c + ":desc"))).get("next").asText())));
            assertEquals(1, next.get("results").size(), c);
        }
        ObjectNode leaf = DataApi.JSON.createObjectNode().put("column", "x").put("op", "has").put("value", "x 2");
        assertEquals(2, ok(api.get(aliasRecords + "?filter=" + q(leaf.toString()))).get("results").get(0).get("d").asInt());
        leaf = DataApi.JSON.createObjectNode().put("column", "d").put("op", "gt").put("value", "1");
        assertEquals(2, ok(api.get(aliasRecords + "?filter=" + q(leaf.toString()))).get("count").asInt());
        assertEquals(3, ok(api.get(aliasRecords + "?search=" + q("changed 3"))).get("results").get(0).get("d").asInt());
        HttpResponse<String> export = api.get(aliasRecords.replace("/records", "/export.csv") + "?order=" + q("d:asc"));
        assertEquals(200, export.statusCode(), export.body());
        assertTrue(export.body().startsWith("d,s,t,x,k,c1,c2,k1,e,i,changed,row_to_json\r\n1,s 1,t 1,\"{\"\"x 1\"\"}\",,10,c2 1,"), export.body());
    }

    @Test
    void columnsNamedLikeTheAliasesOfTheSqlAreWrittenAndReferred() {
        ObjectNode row = DataApi.JSON.createObjectNode().put("d", 10).put("s", "new").put("t", "tee").put("k", 2).put("c1", 1.5)
                .put("k1", "kay").put("changed", "yes").put("row_to_json", "j");
        row.putArray("x").add("a").add("b");
        JsonNode created = status(api.post(aliasRecords, row.toString()), 201);
        assertEquals("{a,b}", created.get("x").asText());
        assertEquals("tee", created.get("t").asText());
        ObjectNode change = DataApi.JSON.createObjectNode().put("s", "renamed").put("changed", "again");
        change.putArray("x").add("c");
        JsonNode updated = ok(api.patch(aliasRecords + "/10", change.toString()));
        assertEquals("renamed", updated.get("s").asText());
        assertEquals("{c}", updated.get("x").asText());
        assertEquals("renamed|again|{c}", api.scalar("SELECT concat_ws('|', s, changed, x) FROM " + ALIASES + " WHERE d = 10"));

        JsonNode page = ok(api.get(aliasRecords + "?order=" + q("d:asc")));
        assertEquals("s 1", page.get("summaries").get("k").get("1").asText());
        assertEquals("s 2", page.get("summaries").get("k").get("2").asText());
        JsonNode candidates = ok(api.get(aliasRecords.replace("/records", "/columns/5/candidates") + "?search=" + q("s 3")));
        assertEquals("3", candidates.get(0).get("key").asText());
        JsonNode referrers = ok(api.get(aliasRecords + "/1/referrers"));
        assertEquals(2, referrers.get(0).get("count").asInt());

        assertEquals(204, api.delete(aliasRecords + "/10").statusCode());
        status(api.post(aliasRecords, "{\"d\": 11}"), 201);
        assertEquals(1, ok(api.post(aliasRecords + "/delete", "{\"keys\": [11, 99]}")).get("deleted").asInt());
        assertEquals("3", api.scalar("SELECT count(*) FROM " + ALIASES));
    }
}
