package dev.rowan.records;

import static dev.rowan.records.Answers.ok;
import static dev.rowan.records.Answers.problem;
import static dev.rowan.records.Answers.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every other PostgreSQL type: shown as its text form, sortable and filterable without a server error, and edited where the text form reads back. */
class UnusualTypesTest {
    @TempDir
    static Path tmp;
    static DataApi api;
    static String url;

    static final List<String> COLUMNS = List.of("r", "dr", "mr", "p", "bx", "l", "ls", "pg", "pa", "ci", "tv", "tq", "bt", "vb", "x",
            "pos", "ia", "ta", "ma", "m", "cash", "iv", "u", "j", "js", "bin", "ip", "net", "mac", "f", "nn", "ttz", "tstz", "cp", "c3", "o");

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        api.exec("CREATE DOMAIN positive AS int CHECK (VALUE > 0)", "CREATE TYPE pair AS (x int, y text)",
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE oddities (id int PRIMARY KEY, r int4range, dr daterange, mr int4multirange, p point, bx box, l line, ls lseg,"
                        + " pg polygon, pa path, ci circle, tv tsvector, tq tsquery, bt bit(4), vb varbit, x xml, pos positive, ia int[],"
                        + " ta text[], ma int[][], m mood, cash money, iv interval, u uuid, j jsonb, js json, bin bytea, ip inet, net cidr,"
                        + " mac macaddr, f float8, nn numeric, ttz timetz, tstz timestamptz, cp pair, c3 char(3), o oid)",
                "INSERT INTO oddities VALUES (1, '[1,5)', '[2024-01-01,2024-02-01)', '{[1,3),[7,9)}', '(1,2)', '((0,0),(2,3))',"
                        + " '{1,-1,0}', '[(0,0),(1,1)]', '((0,0),(1,0),(1,1))', '[(0,0),(2,2)]', '<(1,1),2>', 'a fat cat', 'fat & cat',"
                        + " B'1010', B'101', '<a>1</a>', 5, '{1,NULL,3}', '{\"a b\",\"c,d\",\"\"}', '{{1,2},{3,4}}', 'happy', 12.5,"
                        + " '1 year 2 mons 3 days 04:05:06.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"k\": [1, {\"z\": null}]}',"
                        + " '{\"a\":  1}', '\\x00ff10', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', 'NaN', 'Infinity',"
                        + " '12:30+02', '2024-03-05 08:30:00.123456+00', '(1,\"x y\")', 'ab', 42)",
                "INSERT INTO oddities (id) VALUES (2)",
                "INSERT INTO oddities (id, f, nn, pos, p, x) VALUES (3, -1.5e300, 123456789012345678901234567890.123456789, 7, '(5,5)', '<b/>')");
        url = api.path("/tables/" + api.oid("oddities") + "/records");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static List<String> columns() {
        return COLUMNS;
    }

    @Test
    void everyTypeReadsAsItsTextFormOrAsJson() {
        JsonNode row = ok(api.get(url)).get("results").get(0);
        assertEquals("[1,5)", row.get("r").asText());
        assertEquals("{[1,3),[7,9)}", row.get("mr").asText());
        assertEquals("(1,2)", row.get("p").asText());
        assertEquals("'a' 'cat' 'fat'", row.get("tv").asText());
        assertEquals("1010", row.get("bt").asText());
        assertEquals("<a>1</a>", row.get("x").asText());
        assertEquals(5, row.get("pos").intValue());
        assertEquals("{1,NULL,3}", row.get("ia").asText());
        assertEquals("{{1,2},{3,4}}", row.get("ma").asText());
        assertEquals("happy", row.get("m").asText());
        assertEquals("$12.50", row.get("cash").asText());
        assertEquals("1 year 2 mons 3 days 04:05:06.5", row.get("iv").asText());
        assertTrue(row.get("j").get("k").get(1).get("z").isNull(), row.get("j").toString());
        assertTrue(row.get("js").isObject());
        assertEquals("\\x00ff10", row.get("bin").asText());
        assertEquals("NaN", row.get("f").asText());
        assertEquals("Infinity", row.get("nn").asText());
        assertEquals("(1,\"x y\")", row.get("cp").asText());
        assertEquals("ab", row.get("c3").asText());
        assertEquals("42", row.get("o").asText());
        assertTrue(ok(api.get(url)).get("results").get(1).get("r").isNull());
    }

    @ParameterizedTest
    @MethodSource("columns")
    void everyTypeSortsBothWaysAndPagesByCursor(String column) {
        for (String direction : List.of("asc", "desc")) {
            JsonNode page = ok(api.get(url + "?limit=1&order=" + q(column + ":" + direction)));
            JsonNode rest = ok(api.get(url + "?limit=5&order=" + q(column + ":" + direction) + "&after=" + q(page.get("next").asText())));
            assertEquals(2, rest.get("results").size());
            assertEquals(3, page.get("count").asInt());
        }
    }

    @ParameterizedTest
    @MethodSource("columns")
    void everyTypeFiltersWithoutAServerError(String column) {
        JsonNode operators = null;
        for (JsonNode c : ok(api.get(api.path("/tables/" + api.oid("oddities") + "/filter-operators")))) {
            if (c.get("column").asText().equals(column)) operators = c.get("operators");
        }
        assertTrue(operators != null && operators.size() >= 2, column);
        for (JsonNode op : operators) {
            String value = op.asText().startsWith("is_") ? "" : ",\"value\":\"1\"";
            var r = api.get(url + "?filter=" + q("{\"column\":\"" + column + "\",\"op\":\"" + op.asText() + "\"" + value + "}"));
            assertTrue(r.statusCode() == 200 || r.statusCode() == 400, column + " " + op + ": " + r.body());
        }
    }

    @ParameterizedTest
    @MethodSource("columns")
    void everyTypeTakesBackTheValueItShowed(String column) throws Exception {
        for (int id : List.of(1, 3)) {
            // Read with every digit kept, as a client handling numbers exactly would.
            JsonNode before = exact(api.get(url + "/" + id)).get(column);
            String text = api.scalar("SELECT (\"" + column + "\")::text FROM oddities WHERE id = ?", id);
            JsonNode after = exact(api.patch(url + "/" + id, "{\"" + column + "\":" + before + "}")).get(column);
            assertEquals(before, after, column);
            if (column.equals("js")) {
                assertEquals("t", api.scalar("SELECT js::jsonb IS NOT DISTINCT FROM ?::jsonb FROM oddities WHERE id = ?", text, id));
            } else {
                assertEquals(text, api.scalar("SELECT (\"" + column + "\")::text FROM oddities WHERE id = ?", id), column);
            }
        }
    }

    static JsonNode exact(java.net.http.HttpResponse<String> r) throws Exception {
        ok(r);
        return JsonText.read(r.body());
    }

    @Test
    void aDomainRefusingAValueNamesTheColumn() {
        JsonNode p = problem(api.patch(url + "/1", "{\"pos\":-1}"), 422, "check_failed");
        assertEquals("pos", p.get("column").asText());
        assertEquals("r", problem(api.patch(url + "/1", "{\"r\":\"[5,1)\"}"), 422, "invalid_value").get("column").asText());
        assertEquals("bt", problem(api.patch(url + "/1", "{\"bt\":\"101\"}"), 422, "invalid_value").get("column").asText());
        assertEquals("m", problem(api.patch(url + "/1", "{\"m\":\"angry\"}"), 422, "invalid_value").get("column").asText());
        assertEquals("5", api.scalar("SELECT pos FROM oddities WHERE id = 1"));
    }
}
