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
}
