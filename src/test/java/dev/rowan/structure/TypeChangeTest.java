package dev.rowan.structure;

import static dev.rowan.structure.StructureAsserts.assertProblem;
import static dev.rowan.structure.StructureAsserts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.catalog.ColumnType;
import dev.rowan.testing.DataApi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changing a column's type: the dry run's counts and samples, and the change itself either whole or not at all. */
class TypeChangeTest {
    @TempDir
    static Path tmp;
    static DataApi api;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** A text column of amounts as people typed them: 12 rows, 2 of them NULL, one blank, 3 that are no whole number. */
    private static long amounts(String table) {
        api.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, amount text DEFAULT '0', note text)",
                "INSERT INTO " + table + " VALUES (1, '1,234', 'a'), (2, '1,234', 'b'), (3, '1,234', 'c'), (4, '12', 'd'), (5, ' 12 ', 'e'),"
                        + " (6, 'abc', 'f'), (7, 'abc', 'g'), (8, '7.5', 'h'), (9, '', 'i'), (10, NULL, 'j'), (11, NULL, 'k'), (12, '-3', 'l')");
        return api.oid("public." + table);
    }

    /** Everything about a table that a failed change must leave alone: its columns as the catalog has them and every row. */
    private static String checksum(String table) {
        return StructureAsserts.columns(api, table) + " " + api.scalar("SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM " + table + " t");
    }

    private static String column(long table, String name) {
        return "/tables/" + table + "/columns/" + api.scalar("SELECT attnum FROM pg_attribute WHERE attrelid = ?::oid AND attname = ?", table, name);
    }

    @Test
    void theDryRunCountsTheFailingValuesAndShowsEachWithItsReason() {
        long t = amounts("dry_run");
        String before = checksum("dry_run");

        HttpResponse<String> r = api.post(api.path(column(t, "amount") + "/type-check"), json(Map.of("type", "integer")));

        assertEquals(200, r.statusCode(), r.body());
        JsonNode check = DataApi.parse(r);
        assertEquals(10, check.get("total").asInt(), "rows with a value (the blank one counts, NULLs do not)");
        assertEquals(3, check.get("failing").asInt());
        assertEquals("[{\"value\":\"abc\",\"message\":\"\\\"abc\\\" is not a whole number\",\"rows\":2},"
                + "{\"value\":\"7.5\",\"message\":\"\\\"7.5\\\" is not a whole number\",\"rows\":1}]", check.get("samples").toString());
        assertEquals(before, checksum("dry_run"), "a dry run changes nothing");
    }

    @Test
    void theDryRunOfARequiredColumnCountsBlanksThatWouldBecomeEmpty() {
        api.exec("CREATE TABLE required_dates (id int, day text NOT NULL)",
                "INSERT INTO required_dates VALUES (1, '2024-03-05'), (2, '  '), (3, 'March 5, 2024')");

        JsonNode check = DataApi.parse(api.post(api.path(column(api.oid("public.required_dates"), "day") + "/type-check"), json(Map.of("type", "date"))));

        assertEquals(3, check.get("total").asInt());
        assertEquals(1, check.get("failing").asInt());
        assertEquals("\"  \" would become empty, but the column requires a value", check.get("samples").get(0).get("message").asText());
    }

    @Test
    void theDryRunShowsAtMostTwentyDistinctValuesMostFrequentFirst() {
        api.exec("CREATE TABLE many (v text)", "INSERT INTO many SELECT 'bad ' || (g % 30) FROM generate_series(1, 100) g",
                "INSERT INTO many SELECT 'bad 7' FROM generate_series(1, 5)");

        JsonNode check = DataApi.parse(api.post(api.path(column(api.oid("public.many"), "v") + "/type-check"), json(Map.of("type", "uuid"))));

        assertEquals(105, check.get("failing").asInt());
        assertEquals(20, check.get("samples").size());
        assertEquals("bad 7", check.get("samples").get(0).get("value").asText());
        assertEquals(9, check.get("samples").get(0).get("rows").asInt());
    }

    @Test
    void aTypeChangeConvertsEveryValueAndKeepsTheDefault() {
        long t = amounts("converted");
        api.exec("UPDATE converted SET amount = '0' WHERE id IN (6, 7, 8)");

        HttpResponse<String> r = api.patch(api.path(column(t, "amount")), json(Map.of("type", "integer")));

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("integer", DataApi.parse(r).get("type").asText());
        assertEquals("integer", DataApi.parse(r).get("kind").asText());
        assertEquals(List.of("id integer not null", "amount integer default 0", "note text"), StructureAsserts.columns(api, "converted"));
        assertEquals("1234,1234,1234,12,12,0,0,0,,,,-3",
                api.scalar("SELECT string_agg(coalesce(amount::text, ''), ',' ORDER BY id) FROM converted"));
    }

    @Test
    void aFailingTypeChangeLeavesTheTableByteForByteAsItWasAndNamesTheValues() {
        long t = amounts("untouched");
        String before = checksum("untouched");

        HttpResponse<String> r = api.patch(api.path(column(t, "amount")), json(Map.of("type", "bigint", "name", "renamed too?")));

        JsonNode problem = assertProblem(422, "cast_failed", r);
        assertEquals("amount", problem.get("column").asText());
        assertEquals(10, problem.get("total").asInt());
        assertEquals(3, problem.get("failing").asInt());
        assertEquals(List.of("abc", "7.5"), problem.get("samples").findValuesAsText("value"));
        assertEquals(before, checksum("untouched"));
    }

    @Test
    void aDefaultThatCannotBeConvertedStopsTheChangeUnlessANewOneIsGiven() {
        api.exec("CREATE TABLE codes (id int, code text DEFAULT 'none')", "INSERT INTO codes VALUES (1, '5'), (2, '6')");
        long t = api.oid("public.codes");
        String before = checksum("codes");

        JsonNode problem = assertProblem(422, "default_incompatible", api.patch(api.path(column(t, "code")), json(Map.of("type", "integer"))));
        assertEquals("code", problem.get("column").asText());
        assertEquals(before, checksum("codes"));

        Map<String, Object> withoutDefault = new HashMap<>();
        withoutDefault.put("type", "integer");
        withoutDefault.put("default", null);
        assertEquals(200, api.patch(api.path(column(t, "code")), json(withoutDefault)).statusCode());
        assertEquals(List.of("id integer", "code integer"), StructureAsserts.columns(api, "codes"));

        assertEquals(200, api.patch(api.path(column(t, "code")), json(Map.of("type", "text", "default", "7"))).statusCode());
        assertEquals(List.of("id integer", "code text default '7'::text"), StructureAsserts.columns(api, "codes"));
        assertEquals("5,6", api.scalar("SELECT string_agg(code, ',' ORDER BY id) FROM codes"));
    }

    @Test
    void aConstantDefaultIsReadAgainByTheNewTypesCast() {
        api.exec("CREATE TABLE prices (id int, price text DEFAULT '$1,000.50', active text DEFAULT 'yes')", "INSERT INTO prices VALUES (1, '€2', 'no')");
        long t = api.oid("public.prices");

        assertEquals(200, api.patch(api.path(column(t, "price")), json(Map.of("type", "money"))).statusCode());
        assertEquals(200, api.patch(api.path(column(t, "active")), json(Map.of("type", "boolean"))).statusCode());

        assertEquals(List.of("id integer", "price rowan_types.money default 1000.50", "active boolean default true"),
                StructureAsserts.columns(api, "prices"));
        assertEquals("2|f", api.scalar("SELECT concat_ws('|', price, active) FROM prices"));
    }

    @Test
    void aColumnAViewUsesCannotChangeTypeAndTheViewIsNamed() {
        api.exec("CREATE TABLE viewed (id int, n text)", "INSERT INTO viewed VALUES (1, '1')", "CREATE VIEW viewing AS SELECT n FROM viewed");

        JsonNode problem = assertProblem(409, "has_dependents", api.patch(api.path(column(api.oid("public.viewed"), "n")), json(Map.of("type", "integer"))));

        assertEquals(List.of("view public.viewing"), problem.get("dependents").findValuesAsText("description"));
        assertEquals(List.of("id integer", "n text"), StructureAsserts.columns(api, "viewed"));
    }

    @Test
    void aComputedColumnsTypeIsNotChanged() {
        api.exec("CREATE TABLE computed (a int, b int GENERATED ALWAYS AS (a * 2) STORED)");

        assertProblem(422, "generated_column", api.patch(api.path(column(api.oid("public.computed"), "b")), json(Map.of("type", "text"))));
        assertProblem(400, "unknown_type", api.patch(api.path(column(api.oid("public.computed"), "a")), json(Map.of("type", "int; DROP TABLE computed"))));
        assertProblem(400, "unknown_type", api.post(api.path(column(api.oid("public.computed"), "a") + "/type-check"), json(Map.of("type", "geometry"))));
        assertEquals(List.of("a integer", "b integer default (a * 2)"), StructureAsserts.columns(api, "computed"));
    }

    @Test
    void columnsOfEveryKindChangeToTextAndBack() {
        api.exec("CREATE TABLE kinds (id int, day date, ok boolean, amount numeric, at timestamptz, mail rowan_types.email, doc jsonb)",
                "INSERT INTO kinds VALUES (1, '2024-03-05', true, 1234.5, '2024-03-05 10:00:00+00', 'a@example.org', '{\"a\": [1, 2]}')");
        long t = api.oid("public.kinds");
        String before = api.scalar("SELECT k::text FROM kinds k");
        Map<String, String> types = Map.of("day", "date", "ok", "boolean", "amount", "numeric", "at", "timestamptz", "mail", "email", "doc", "json");

        for (Map.Entry<String, String> e : types.entrySet()) {
            assertEquals(200, api.patch(api.path(column(t, e.getKey())), json(Map.of("type", "text"))).statusCode(), e.getKey());
        }
        assertEquals("text", api.scalar("SELECT string_agg(DISTINCT format_type(atttypid, atttypmod), ',') FROM pg_attribute WHERE attrelid = ?::oid AND attnum > 1", t));
        for (Map.Entry<String, String> e : types.entrySet()) {
            HttpResponse<String> r = api.patch(api.path(column(t, e.getKey())), json(Map.of("type", e.getValue())));
            assertEquals(200, r.statusCode(), e.getKey() + ": " + r.body());
        }
        assertEquals(before, api.scalar("SELECT k::text FROM kinds k"), "every value made the round trip");
    }

    /**
     * rowan.cast_error must apply exactly the cast that ALTER … USING applies ({@link ColumnType#fromText}):
     * for every type Rowan offers and a spread of inputs, it finds an error exactly when the cast fails.
     */
    @Test
    void theDryRunsCastAgreesWithTheChangesCastForEveryType() throws SQLException {
        List<String> inputs = List.of("1,234", "12", "7.5", "-3", "1e3", "yes", "no", "2024-03-05", "March 5, 2024", "10:30", "2024-03-05 10:00:00+01",
                "1 day", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{\"a\": 1}", "a@example.org", "example.org", "$12.50", "NaN", "abc", "", "99999999999");
        List<String> disagreements = new ArrayList<>();
        try (Connection c = api.sql()) {
            for (ColumnType type : ColumnType.values()) {
                for (String input : inputs) {
                    boolean castWorks;
                    try (PreparedStatement ps = c.prepareStatement("SELECT " + type.fromText("?"))) {
                        ps.setString(1, input);
                        ps.executeQuery().close();
                        castWorks = true;
                    } catch (SQLException e) {
                        castWorks = false;
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT rowan.cast_error(?, ?::regtype, false)")) {
                        ps.setString(1, input);
                        ps.setString(2, type.sql());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if ((rs.getString(1) == null) != castWorks) disagreements.add(type.id() + "(" + input + ")");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), disagreements);
    }

    @Test
    void aTypeNotOfferedIsRefusedByTheCheckFunctionRatherThanGuessed() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> api.scalar("SELECT rowan.cast_error('1', 'point'::regtype, false)"));
        assertEquals("0A000", ((SQLException) e.getCause()).getSQLState());
        assertNull(api.scalar("SELECT rowan.cast_error(NULL, 'integer'::regtype, true)"), "NULL stays NULL: not a failure");
    }
}
