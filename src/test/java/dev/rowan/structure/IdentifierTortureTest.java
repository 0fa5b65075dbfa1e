package dev.rowan.structure;

import static dev.rowan.structure.StructureAsserts.assertProblem;
import static dev.rowan.structure.StructureAsserts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Names mean exactly themselves: odd ones (spaces, quotes, SQL, reserved words, emoji, 63-byte
 * multibyte names) go through creating and renaming schemas, tables and columns and come back
 * unchanged, and SQL in names, defaults and comments is stored as text and runs nowhere: a canary
 * table keeps its rows throughout.
 */
class IdentifierTortureTest {
    @TempDir
    static Path tmp;
    static DataApi api;

    static Stream<String> names() {
        return Stream.of("with space", " padded ", "quote\"d", "\"\"", "it's", "semi;-- colon", "Ünïcödé 名前", "📦 boxes", "select", "user", "order",
                "MiXeD Case", "Robert'); DROP TABLE public.canary;--", "\"; DROP SCHEMA public CASCADE; --", "back\\slash", "$1", "%s %I",
                "ä".repeat(31) + "x", "x".repeat(63), "😀".repeat(15) + "abc", "tab\there", "new\nline");
    }

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        api.exec("CREATE TABLE public.canary (id int)", "INSERT INTO public.canary VALUES (1), (2), (3)");
        names().forEach(n -> assertEquals(true, n.getBytes(StandardCharsets.UTF_8).length <= 63, n));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static long created(HttpResponse<String> r, String field) {
        assertEquals(201, r.statusCode(), r.body());
        return DataApi.parse(r).get(field).asLong();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("names")
    void aNameSurvivesCreateRenameAndDeleteOfSchemasTablesAndColumns(String name) {
        long schema = created(api.post(api.path("/schemas"), json(Map.of("name", name, "comment", name))), "oid");
        assertEquals(name, api.scalar("SELECT nspname FROM pg_namespace WHERE oid = ?::oid", schema));
        assertEquals(name, api.scalar("SELECT obj_description(?::oid, 'pg_namespace')", schema));
        assertEquals(204, api.delete(api.path("/schemas/" + schema)).statusCode());

        long renamed = created(api.post(api.path("/schemas"), json(Map.of("name", "tmp"))), "oid");
        assertEquals(name, DataApi.parse(api.patch(api.path("/schemas/" + renamed), json(Map.of("name", name)))).get("name").asText());
        assertEquals(name, api.scalar("SELECT nspname FROM pg_namespace WHERE oid = ?::oid", renamed));

        HttpResponse<String> r = api.post(api.path("/tables"), json(Map.of("schema", name, "name", "tmp", "comment", name,
                "columns", List.of(Map.of("name", name, "type", "text", "default", name, "comment", name)))));
        long table = created(r, "oid");
        assertEquals(name, api.scalar("SELECT attname FROM pg_attribute WHERE attrelid = ?::oid AND attnum = 2", table));
        assertEquals(name, api.scalar("SELECT col_description(?::oid, 2)", table));
        assertEquals(name, api.scalar("SELECT obj_description(?::oid, 'pg_class')", table));

        JsonNode patched = DataApi.parse(api.patch(api.path("/tables/" + table), json(Map.of("name", name))));
        assertEquals(name, patched.get("name").asText());
        assertEquals(name, patched.get("schema").asText());
        assertEquals(name, api.scalar("SELECT relname FROM pg_class WHERE oid = ?::oid", table));

        long attnum = created(api.post(api.path("/tables/" + table + "/columns"), json(Map.of("name", "tmp", "type", "integer"))), "attnum");
        assertProblem(409, "name_taken", api.patch(api.path("/tables/" + table + "/columns/" + attnum), json(Map.of("name", name))));
        assertEquals(204, api.delete(api.path("/tables/" + table + "/columns/2")).statusCode());
        assertEquals(name, DataApi.parse(api.patch(api.path("/tables/" + table + "/columns/" + attnum), json(Map.of("name", name)))).get("name").asText());
        assertEquals(name, api.scalar("SELECT attname FROM pg_attribute WHERE attrelid = ?::oid AND attnum = ?", table, (int) attnum));

        api.exec("INSERT INTO " + quote(name) + "." + quote(name) + " DEFAULT VALUES");
        assertEquals("1", api.scalar("SELECT count(*) FROM " + quote(name) + "." + quote(name)));

        long direct = created(api.post(api.path("/tables"), json(Map.of("schema", "public", "name", name,
                "columns", List.of(Map.of("name", name, "type", "text")), "primaryKey", List.of(name)))), "oid");
        assertEquals(List.of(name), DataApi.parse(api.get(api.path("/tables/" + direct))).get("columns").findValuesAsText("name"));
        assertEquals(name + "|" + name, api.scalar("SELECT relname || '|' || attname FROM pg_class JOIN pg_attribute ON attrelid = pg_class.oid"
                + " WHERE pg_class.oid = ?::oid AND attnum = 1", direct));
        assertEquals("3", api.scalar("SELECT count(*) FROM public.canary"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("names")
    void aDefaultValueAndACommentAreStoredAsTheTextTheyAre(String value) {
        String table = "defaults " + Integer.toHexString(value.hashCode());
        long oid = created(api.post(api.path("/tables"), json(Map.of("schema", "public", "name", table,
                "columns", List.of(Map.of("name", "v", "type", "text", "default", value))))), "oid");
        api.exec("INSERT INTO public." + quote(table) + " DEFAULT VALUES");

        assertEquals(200, api.patch(api.path("/tables/" + oid + "/columns/2"), json(Map.of("default", value + "!", "comment", value))).statusCode());
        api.exec("INSERT INTO public." + quote(table) + " DEFAULT VALUES");

        assertEquals(value + "|" + value + "!", api.scalar("SELECT string_agg(v, '|' ORDER BY id) FROM public." + quote(table)));
        assertEquals(value, api.scalar("SELECT col_description(?::oid, 2)", oid));
        assertEquals("3", api.scalar("SELECT count(*) FROM public.canary"));
    }

    @Test
    void aNameOf64BytesIsRefusedEverywhereAndNothingIsCutShort() {
        String tooLong = "ä".repeat(32);
        long schema = created(api.post(api.path("/schemas"), json(Map.of("name", "long names"))), "oid");
        long table = created(api.post(api.path("/tables"), json(Map.of("schema", "long names", "name", "t",
                "columns", List.of(Map.of("name", "c", "type", "text"))))), "oid");
        api.exec("CREATE TABLE public.referenced (id int PRIMARY KEY)");
        String before = api.scalar("SELECT count(*) || '/' || max(length(nspname)) FROM pg_namespace")
                + api.scalar("SELECT count(*) FROM pg_class") + api.scalar("SELECT count(*) FROM pg_attribute");

        assertProblem(422, "name_too_long", api.post(api.path("/schemas"), json(Map.of("name", tooLong))));
        assertProblem(422, "name_too_long", api.patch(api.path("/schemas/" + schema), json(Map.of("name", tooLong))));
        assertProblem(422, "name_too_long", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", tooLong))));
        assertProblem(422, "name_too_long", api.patch(api.path("/tables/" + table), json(Map.of("name", tooLong))));
        assertProblem(422, "name_too_long", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "ok",
                "columns", List.of(Map.of("name", tooLong, "type", "text"))))));
        assertProblem(422, "name_too_long", api.post(api.path("/tables/" + table + "/columns"), json(Map.of("name", tooLong, "type", "text"))));
        assertProblem(422, "name_too_long", api.patch(api.path("/tables/" + table + "/columns/1"), json(Map.of("name", tooLong))));
        assertProblem(422, "name_too_long", api.post(api.path("/tables/" + table + "/foreign-keys"), json(Map.of("columns", List.of("c"),
                "referencedTable", api.oid("public.referenced"), "name", tooLong))));
        assertProblem(422, "name_invalid", api.post(api.path("/schemas"), json(Map.of("name", "nul\u0000here"))));

        assertEquals(before, api.scalar("SELECT count(*) || '/' || max(length(nspname)) FROM pg_namespace")
                + api.scalar("SELECT count(*) FROM pg_class") + api.scalar("SELECT count(*) FROM pg_attribute"));
    }

    @Test
    void sqlInFieldsThatNameThingsFindsNothingAndRunsNothing() {
        String injection = "public; DROP TABLE public.canary; --";
        assertProblem(422, "unknown_schema", api.post(api.path("/tables"), json(Map.of("schema", injection, "name", "t"))));
        assertProblem(400, "unknown_type", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "t",
                "columns", List.of(Map.of("name", "c", "type", "text); DROP TABLE public.canary; --"))))));
        assertProblem(422, "unknown_expression", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "t",
                "columns", List.of(Map.of("name", "c", "type", "text", "defaultExpression", "now()); DROP TABLE public.canary; --"))))));
        assertProblem(404, "table_not_found", api.delete(api.path("/tables/1;DROP%20TABLE%20canary")));
        assertProblem(400, "invalid_parameter", api.delete(api.path("/tables/" + api.oid("public.canary") + "?cascade=true;DROP")));
        assertEquals("3", api.scalar("SELECT count(*) FROM public.canary"));
    }

    /**
     * Columns named like every alias of the SQL that checks a change before making it (the type-change
     * dry run's {@code g}, {@code s}, {@code v}, {@code n}, {@code err}, {@code checked}; the missing
     * references' {@code t} and {@code r}): each check still finds the values it reports.
     */
    @Test
    void columnsNamedLikeTheAliasesOfTheSqlAreCheckedLikeAnyOther() {
        api.exec("CREATE TABLE public.t (t text PRIMARY KEY, r text)", "INSERT INTO public.t VALUES ('one', 'x')",
                "CREATE TABLE public.aliases (t int PRIMARY KEY, r text, s text, d text, v text, n text, err text, g text, checked text, x text)",
                "INSERT INTO public.aliases VALUES (1, 'one', 's', 'd', '1', 'same', 'e', 'g', 'c', 'x'), (2, 'two', 's', 'd', 'abc', 'same', 'e', NULL, 'c', 'x'),"
                        + " (3, 'two', 's', 'd', 'abc', 'other', 'e', NULL, 'c', 'x')");
        long table = api.oid("public.aliases");
        String before = api.scalar("SELECT string_agg(a::text, '|' ORDER BY t) FROM public.aliases a");

        JsonNode check = DataApi.parse(api.post(api.path("/tables/" + table + "/columns/5/type-check"), json(Map.of("type", "integer"))));
        assertEquals(3, check.get("total").asInt(), check.toString());
        assertEquals(2, check.get("failing").asInt(), check.toString());
        assertEquals("abc", check.get("samples").get(0).get("value").asText(), check.toString());
        assertEquals(2, assertProblem(422, "cast_failed", api.patch(api.path("/tables/" + table + "/columns/5"), json(Map.of("type", "integer"))))
                .get("failing").asInt());
        JsonNode missing = assertProblem(422, "missing_references", api.post(api.path("/tables/" + table + "/foreign-keys"),
                json(Map.of("columns", List.of("r"), "referencedTable", api.oid("public.t")))));
        assertEquals("[{\"values\":[\"two\"],\"rows\":2}]", missing.get("samples").toString());
        assertEquals("[{\"value\":\"same\",\"rows\":2}]", assertProblem(422, "has_duplicates",
                api.patch(api.path("/tables/" + table + "/columns/6"), json(Map.of("unique", true)))).get("duplicates").toString());
        assertEquals(2, assertProblem(422, "has_nulls", api.patch(api.path("/tables/" + table + "/columns/8"), json(Map.of("nullable", false))))
                .get("count").asInt());
        assertEquals(before, api.scalar("SELECT string_agg(a::text, '|' ORDER BY t) FROM public.aliases a"));

        api.exec("UPDATE public.aliases SET v = '2' WHERE v = 'abc'");
        HttpResponse<String> changed = api.patch(api.path("/tables/" + table + "/columns/5"), json(Map.of("type", "integer")));
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("1,2,2", api.scalar("SELECT string_agg(v::text, ',' ORDER BY t) FROM public.aliases"));
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
