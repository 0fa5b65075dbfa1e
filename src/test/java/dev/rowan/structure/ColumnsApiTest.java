package dev.rowan.structure;

import static dev.rowan.structure.StructureAsserts.assertProblem;
import static dev.rowan.structure.StructureAsserts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adding, changing and deleting columns, their defaults, NOT NULL and uniqueness; foreign keys and other constraints. */
class ColumnsApiTest {
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

    private static List<String> columns(String table) {
        return StructureAsserts.columns(api, table);
    }

    private static String column(long table, String name) {
        return "/tables/" + table + "/columns/" + api.scalar("SELECT attnum FROM pg_attribute WHERE attrelid = ?::oid AND attname = ?", table, name);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void aColumnIsAddedWithItsDefaultAndAnsweredWithItsAttnum() {
        api.exec("CREATE TABLE people (id int PRIMARY KEY)", "INSERT INTO people VALUES (1), (2)");
        long people = api.oid("public.people");

        HttpResponse<String> r = api.post(api.path("/tables/" + people + "/columns"),
                json(Map.of("name", "active", "type", "boolean", "default", "yes", "nullable", false, "comment", "still here?")));

        assertEquals(201, r.statusCode(), r.body());
        JsonNode column = DataApi.parse(r);
        assertEquals("active", column.get("name").asText());
        assertEquals(2, column.get("attnum").asInt());
        assertEquals("boolean", column.get("kind").asText());
        assertEquals(false, column.get("nullable").asBoolean());
        assertEquals("true", column.get("defaultExpression").asText());
        assertEquals("still here?", column.get("comment").asText());
        assertEquals(List.of("id integer not null", "active boolean not null default true"), columns("public.people"));
        assertEquals("2", api.scalar("SELECT count(*) FROM people WHERE active"), "existing rows got the default");
    }

    @Test
    void aRequiredColumnWithoutADefaultCannotBeAddedToATableWithRows() {
        api.exec("CREATE TABLE filled (id int)", "INSERT INTO filled VALUES (1), (2), (3)");

        HttpResponse<String> r = api.post(api.path("/tables/" + api.oid("public.filled") + "/columns"),
                json(Map.of("name", "must", "type", "text", "nullable", false)));

        assertProblem(422, "has_nulls", r);
        assertEquals(3, DataApi.parse(r).get("count").asInt());
        assertEquals(List.of("id integer"), columns("public.filled"));
        assertProblem(409, "name_taken", api.post(api.path("/tables/" + api.oid("public.filled") + "/columns"), json(Map.of("name", "id", "type", "text"))));
    }

    @Test
    void aColumnIsRenamedAndCommented() {
        api.exec("CREATE TABLE renames (id int, \"old\" text)");
        long t = api.oid("public.renames");

        HttpResponse<String> r = api.patch(api.path(column(t, "old")), json(Map.of("name", "New \"one\"", "comment", "renamed")));

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("New \"one\"", DataApi.parse(r).get("name").asText());
        assertEquals(List.of("id integer", "New \"one\" text"), columns("public.renames"));
        assertEquals("renamed", api.scalar("SELECT col_description(?::oid, 2)", t));
        assertProblem(409, "name_taken", api.patch(api.path(column(t, "New \"one\"")), json(Map.of("name", "id"))));
        assertProblem(404, "column_not_found", api.patch(api.path("/tables/" + t + "/columns/99"), json(Map.of("name", "x"))));
        assertProblem(404, "column_not_found", api.patch(api.path("/tables/" + t + "/columns/name"), json(Map.of("name", "x"))));
    }

    @Test
    void aDefaultLongerThanTheColumnAllowsIsRefusedNotCut() {
        api.exec("CREATE TABLE short_codes (id int, code varchar(3) DEFAULT 'abc')");
        long t = api.oid("public.short_codes");
        HttpResponse<String> tooLong = api.patch(api.path(column(t, "code")), json(Map.of("default", "abcdef")));
        assertProblem(422, "invalid_default", tooLong);
        assertEquals("code", DataApi.parse(tooLong).get("column").asText());
        assertEquals("'abc'::character varying", api.scalar("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = ?::oid AND adnum = 2", t),
                "the default before stays");
        assertEquals(200, api.patch(api.path(column(t, "code")), json(Map.of("default", "xyz"))).statusCode());
        api.exec("INSERT INTO short_codes (id) VALUES (1)");
        assertEquals("xyz", api.scalar("SELECT code FROM short_codes"));
    }

    @Test
    void defaultsAreSetAsValuesOrExpressionsAndDropped() {
        api.exec("CREATE TABLE defaults (id int, label text, amount numeric, day date)");
        long t = api.oid("public.defaults");

        assertEquals(200, api.patch(api.path(column(t, "label")), json(Map.of("default", "it's \\ 'quoted'"))).statusCode());
        assertEquals(200, api.patch(api.path(column(t, "amount")), json(Map.of("default", 1234.5))).statusCode());
        assertEquals(200, api.patch(api.path(column(t, "day")), json(Map.of("defaultExpression", "current_date"))).statusCode());
        api.exec("INSERT INTO defaults (id) VALUES (1)");
        assertEquals("it's \\ 'quoted'|1234.5|t", api.scalar("SELECT concat_ws('|', label, amount, day = current_date) FROM defaults"));

        assertEquals(200, api.patch(api.path(column(t, "amount")), json(Map.of("default", "1.234,5"))).statusCode());
        assertEquals("1234.5", api.scalar("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = ?::oid AND adnum = 3", t));

        assertEquals(200, api.patch(api.path(column(t, "label")), json(map("default", null))).statusCode());
        assertNull(api.scalar("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = ?::oid AND adnum = 2", t));

        HttpResponse<String> bad = api.patch(api.path(column(t, "day")), json(Map.of("default", "someday")));
        assertProblem(422, "invalid_default", bad);
        assertEquals("day", DataApi.parse(bad).get("column").asText());
        assertProblem(422, "invalid_default", api.patch(api.path(column(t, "amount")), json(Map.of("defaultExpression", "now()"))));
        assertProblem(422, "unknown_expression", api.patch(api.path(column(t, "amount")), json(Map.of("defaultExpression", "random()"))));
        assertProblem(422, "conflicting_fields", api.patch(api.path(column(t, "amount")), json(Map.of("default", 1, "defaultExpression", "now()"))));
        assertEquals("CURRENT_DATE", api.scalar("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = ?::oid AND adnum = 4", t),
                "a refused default leaves the one before");
    }

    @Test
    void notNullOnAColumnWithEmptyRowsIsRefusedWithTheirCount() {
        api.exec("CREATE TABLE contacts (id int, phone text)", "INSERT INTO contacts VALUES (1, '555'), (2, NULL), (3, NULL)");
        long t = api.oid("public.contacts");

        HttpResponse<String> r = api.patch(api.path(column(t, "phone")), json(Map.of("nullable", false, "name", "telephone")));

        assertProblem(422, "has_nulls", r);
        assertEquals(2, DataApi.parse(r).get("count").asInt());
        assertEquals("phone", DataApi.parse(r).get("column").asText());
        assertEquals(List.of("id integer", "phone text"), columns("public.contacts"), "the rename in the same request did not happen either");

        api.exec("UPDATE contacts SET phone = 'unknown' WHERE phone IS NULL");
        assertEquals(200, api.patch(api.path(column(t, "phone")), json(Map.of("nullable", false))).statusCode());
        assertEquals(List.of("id integer", "phone text not null"), columns("public.contacts"));
        assertEquals(200, api.patch(api.path(column(t, "phone")), json(Map.of("nullable", true))).statusCode());
        assertEquals(List.of("id integer", "phone text"), columns("public.contacts"));
    }

    @Test
    void uniqueOnAColumnWithRepeatedValuesIsRefusedNamingThem() {
        api.exec("CREATE TABLE tags (id int PRIMARY KEY, tag text)",
                "INSERT INTO tags VALUES (1, 'red'), (2, 'red'), (3, 'red'), (4, 'blue'), (5, 'blue'), (6, 'green'), (7, NULL), (8, NULL)");
        long t = api.oid("public.tags");

        HttpResponse<String> r = api.patch(api.path(column(t, "tag")), json(Map.of("unique", true)));

        assertProblem(422, "has_duplicates", r);
        assertEquals("[{\"value\":\"red\",\"rows\":3},{\"value\":\"blue\",\"rows\":2}]", DataApi.parse(r).get("duplicates").toString());
        assertEquals("0", api.scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = ?::oid AND contype = 'u'", t));

        api.exec("DELETE FROM tags WHERE id IN (2, 3, 5)");
        HttpResponse<String> ok = api.patch(api.path(column(t, "tag")), json(Map.of("unique", true)));
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(true, DataApi.parse(ok).get("unique").asBoolean());
        assertEquals("UNIQUE (tag)", api.scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ?::oid AND contype = 'u'", t));

        assertEquals(200, api.patch(api.path(column(t, "tag")), json(Map.of("unique", false))).statusCode());
        assertEquals("0", api.scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = ?::oid AND contype = 'u'", t));
        assertProblem(422, "primary_key", api.patch(api.path(column(t, "id")), json(Map.of("unique", false))));
    }

    @Test
    void aColumnOthersDependOnIsKeptUnlessDeletedWithCascade() {
        api.exec("CREATE TABLE owners (id int PRIMARY KEY, name text, note text)",
                "CREATE TABLE pets (id int PRIMARY KEY, owner int CONSTRAINT pets_owner_fkey REFERENCES owners)",
                "CREATE VIEW owner_names AS SELECT name FROM owners",
                "CREATE INDEX ON owners (name, note)");
        long owners = api.oid("public.owners");

        HttpResponse<String> r = api.delete(api.path(column(owners, "name")));
        assertProblem(409, "has_dependents", r);
        assertEquals(List.of("view public.owner_names"), DataApi.parse(r).get("dependents").findValuesAsText("description"));

        HttpResponse<String> key = api.delete(api.path(column(owners, "id")));
        assertProblem(409, "has_dependents", key);
        assertEquals(List.of("table constraint pets_owner_fkey on public.pets"), DataApi.parse(key).get("dependents").findValuesAsText("description"));
        assertEquals(List.of("id integer not null", "name text", "note text"), columns("public.owners"));

        assertEquals(204, api.delete(api.path(column(owners, "note"))).statusCode(), "an index of the table itself goes with it");
        assertEquals(204, api.delete(api.path(column(owners, "name") + "?cascade=true")).statusCode());
        assertEquals(List.of("id integer not null"), columns("public.owners"));
        assertNull(api.scalar("SELECT to_regclass('public.owner_names')"));
    }

    @Test
    void aForeignKeyIsAddedByColumnNamesToThePrimaryKeyOfTheOtherTable() {
        api.exec("CREATE TABLE authors (id int PRIMARY KEY, name text)", "INSERT INTO authors VALUES (1, 'Le Guin'), (2, 'Herbert')",
                "CREATE TABLE novels (id int PRIMARY KEY, author int)", "INSERT INTO novels VALUES (10, 1), (11, NULL)");
        long novels = api.oid("public.novels");
        long authors = api.oid("public.authors");

        HttpResponse<String> r = api.post(api.path("/tables/" + novels + "/foreign-keys"),
                json(Map.of("columns", List.of("author"), "referencedTable", authors, "onDelete", "cascade", "name", "written by")));

        assertEquals(201, r.statusCode(), r.body());
        JsonNode fk = DataApi.parse(r);
        assertEquals("written by", fk.get("name").asText());
        assertEquals("[\"id\"]", fk.get("referencedColumns").toString());
        assertEquals("cascade", fk.get("onDelete").asText());
        assertEquals("FOREIGN KEY (author) REFERENCES authors(id) ON DELETE CASCADE",
                api.scalar("SELECT pg_get_constraintdef(?::oid)", fk.get("oid").asLong()));
        api.exec("DELETE FROM authors WHERE id = 1");
        assertEquals("1", api.scalar("SELECT count(*) FROM novels"), "ON DELETE CASCADE took the novel with its author");

        assertEquals(204, api.delete(api.path("/tables/" + novels + "/constraints/" + fk.get("oid").asLong())).statusCode());
        assertEquals("0", api.scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = ?::oid AND contype = 'f'", novels));
        assertProblem(404, "constraint_not_found", api.delete(api.path("/tables/" + novels + "/constraints/" + fk.get("oid").asLong())));
    }

    @Test
    void aForeignKeyOverValuesWithNoMatchIsRefusedNamingSomeOfThem() {
        api.exec("CREATE TABLE cities (code text PRIMARY KEY)", "INSERT INTO cities VALUES ('BER'), ('PAR')",
                "CREATE TABLE trips (id int PRIMARY KEY, city text)",
                "INSERT INTO trips VALUES (1, 'BER'), (2, 'ROM'), (3, 'ROM'), (4, 'OSL'), (5, NULL)");
        long trips = api.oid("public.trips");

        HttpResponse<String> r = api.post(api.path("/tables/" + trips + "/foreign-keys"),
                json(Map.of("columns", List.of(2), "referencedTable", api.oid("public.cities"))));

        assertProblem(422, "missing_references", r);
        JsonNode problem = DataApi.parse(r);
        assertEquals(3, problem.get("missingRows").asInt());
        assertEquals("[{\"values\":[\"ROM\"],\"rows\":2},{\"values\":[\"OSL\"],\"rows\":1}]", problem.get("samples").toString());
        assertEquals("city", problem.get("column").asText());
        assertEquals("0", api.scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = ?::oid AND contype = 'f'", trips));
    }

    @Test
    void badForeignKeysAreRefusedWithTheirReason() {
        api.exec("CREATE TABLE parents (id int PRIMARY KEY, label text, code uuid)", "CREATE TABLE kids (id int PRIMARY KEY, parent int, stamp date)",
                "CREATE TABLE keyless (n int)");
        long kids = api.oid("public.kids");
        String fks = api.path("/tables/" + kids + "/foreign-keys");
        long parents = api.oid("public.parents");

        assertProblem(422, "referenced_not_unique", api.post(fks, json(Map.of("columns", List.of("parent"), "referencedTable", parents,
                "referencedColumns", List.of("label")))));
        assertProblem(422, "type_mismatch", api.post(fks, json(Map.of("columns", List.of("stamp"), "referencedTable", parents))));
        assertProblem(422, "no_primary_key", api.post(fks, json(Map.of("columns", List.of("parent"), "referencedTable", api.oid("public.keyless")))));
        assertProblem(422, "unknown_table", api.post(fks, json(Map.of("columns", List.of("parent"), "referencedTable", 1))));
        assertProblem(422, "unknown_column", api.post(fks, json(Map.of("columns", List.of("nope"), "referencedTable", parents))));
        assertProblem(422, "column_count_mismatch", api.post(fks, json(Map.of("columns", List.of("parent", "stamp"), "referencedTable", parents))));
        assertProblem(400, "invalid_field", api.post(fks, json(Map.of("columns", List.of("parent"), "referencedTable", parents, "onDelete", "explode"))));
        assertProblem(400, "invalid_field", api.post(fks, json(Map.of("referencedTable", parents))));
        assertEquals("0", api.scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = ?::oid AND contype = 'f'", kids));
    }

    @Test
    void aUniqueConstraintThatAForeignKeyNeedsIsKeptUnlessDeletedWithCascade() {
        api.exec("CREATE TABLE codes (id int PRIMARY KEY, code text CONSTRAINT codes_code_key UNIQUE)",
                "CREATE TABLE uses (id int PRIMARY KEY, code text CONSTRAINT uses_code_fkey REFERENCES codes (code))");
        long codes = api.oid("public.codes");
        String unique = api.scalar("SELECT oid FROM pg_constraint WHERE conname = 'codes_code_key'");

        HttpResponse<String> r = api.delete(api.path("/tables/" + codes + "/constraints/" + unique));

        assertProblem(409, "has_dependents", r);
        assertEquals(List.of("table constraint uses_code_fkey on public.uses"), DataApi.parse(r).get("dependents").findValuesAsText("description"));
        assertProblem(409, "has_dependents", api.patch(api.path(column(codes, "code")), json(Map.of("unique", false))));
        assertEquals(204, api.delete(api.path("/tables/" + codes + "/constraints/" + unique + "?cascade=true")).statusCode());
        assertEquals("0", api.scalar("SELECT count(*) FROM pg_constraint WHERE conname IN ('codes_code_key', 'uses_code_fkey')"));
    }

    @Test
    void theArrangedOrderAndWidthsOfColumnsAreRememberedAndShown() {
        api.exec("CREATE TABLE grid (a int, b int, c int, d int)");
        long t = api.oid("public.grid");

        HttpResponse<String> r = api.put(api.path("/tables/" + t + "/display"), json(Map.of("columns", List.of(
                Map.of("column", 3, "position", 0, "width", 300), Map.of("column", 1, "position", 1), Map.of("column", 4, "width", 80)))));

        assertEquals(200, r.statusCode(), r.body());
        JsonNode table = DataApi.parse(api.get(api.path("/tables/" + t)));
        assertEquals(List.of("c", "a", "b", "d"), table.get("columns").findValuesAsText("name"));
        assertEquals(300, table.get("columns").get(0).get("width").asInt());
        assertEquals(true, table.get("columns").get(1).get("width").isNull());
        assertEquals(80, table.get("columns").get(3).get("width").asInt());
        assertEquals(DataApi.parse(r).get("columns"), table.get("columns"), "the answer to PUT is the table as GET shows it");

        assertProblem(422, "unknown_column", api.put(api.path("/tables/" + t + "/display"), json(Map.of("columns", List.of(Map.of("column", 9))))));
        assertProblem(422, "duplicate_column", api.put(api.path("/tables/" + t + "/display"),
                json(Map.of("columns", List.of(Map.of("column", 1), Map.of("column", 1))))));
        assertProblem(400, "invalid_field", api.put(api.path("/tables/" + t + "/display"),
                json(Map.of("columns", List.of(Map.of("column", 1, "width", 5))))));
        assertEquals(List.of("c", "a", "b", "d"), DataApi.parse(api.get(api.path("/tables/" + t))).get("columns").findValuesAsText("name"),
                "refused arrangements change nothing");

        assertEquals(204, api.delete(api.path("/tables/" + t + "/columns/3")).statusCode());
        assertEquals(List.of("a", "b", "d"), DataApi.parse(api.get(api.path("/tables/" + t))).get("columns").findValuesAsText("name"));
        assertEquals(200, api.put(api.path("/tables/" + t + "/display"), json(Map.of("columns", List.of()))).statusCode());
        JsonNode reset = DataApi.parse(api.get(api.path("/tables/" + t)));
        assertEquals(List.of("a", "b", "d"), reset.get("columns").findValuesAsText("name"));
        assertEquals(true, reset.get("columns").get(2).get("width").isNull());
    }
}
