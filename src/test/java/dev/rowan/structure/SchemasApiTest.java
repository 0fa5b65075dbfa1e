package dev.rowan.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rowan.structure.StructureAsserts.assertProblem;
import static dev.rowan.structure.StructureAsserts.json;

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

/** Creating, renaming and deleting schemas through the API, checked in PostgreSQL's catalog. */
class SchemasApiTest {
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

    @Test
    void aNewSchemaIsCreatedWithItsCommentAndAnsweredWithItsOid() {
        HttpResponse<String> r = api.post(api.path("/schemas"), json(Map.of("name", "sales", "comment", "Orders and invoices")));

        assertEquals(201, r.statusCode(), r.body());
        JsonNode schema = DataApi.parse(r);
        assertEquals("sales", schema.get("name").asText());
        assertEquals(api.scalar("SELECT oid FROM pg_namespace WHERE nspname = 'sales'"), schema.get("oid").asText());
        assertEquals("Orders and invoices", schema.get("comment").asText());
        assertEquals("Orders and invoices", api.scalar("SELECT obj_description('sales'::regnamespace, 'pg_namespace')"));
    }

    @Test
    void aSchemaIsRenamedAndItsCommentChangedOrRemoved() {
        long oid = createSchema("drafts");
        api.exec("CREATE TABLE drafts.notes (id int)");

        HttpResponse<String> r = api.patch(api.path("/schemas/" + oid), json(Map.of("name", "Final Drafts", "comment", "kept")));

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Final Drafts", DataApi.parse(r).get("name").asText());
        assertEquals("Final Drafts", api.scalar("SELECT nspname FROM pg_namespace WHERE oid = ?::oid", oid));
        assertEquals("kept", api.scalar("SELECT obj_description(?::oid, 'pg_namespace')", oid));
        assertEquals("Final Drafts", api.scalar("SELECT relnamespace::regnamespace::text FROM pg_class WHERE relname = 'notes'").replace("\"", ""),
                "its tables moved with it");

        Map<String, Object> noComment = new HashMap<>();
        noComment.put("comment", null);
        assertEquals(200, api.patch(api.path("/schemas/" + oid), json(noComment)).statusCode());
        assertNull(api.scalar("SELECT obj_description(?::oid, 'pg_namespace')", oid));
        assertEquals("Final Drafts", api.scalar("SELECT nspname FROM pg_namespace WHERE oid = ?::oid", oid), "a missing name leaves it");
    }

    @Test
    void anEmptySchemaIsDeleted() {
        long oid = createSchema("scratch");

        assertEquals(204, api.delete(api.path("/schemas/" + oid)).statusCode());

        assertNull(api.scalar("SELECT nspname FROM pg_namespace WHERE oid = ?::oid", oid));
        assertEquals(404, api.delete(api.path("/schemas/" + oid)).statusCode(), "gone is gone");
    }

    @Test
    void aSchemaHoldingTablesIsKeptAndItsContentsListedUnlessDeletedWithCascade() {
        long oid = createSchema("shop");
        api.exec("CREATE TYPE shop.mood AS ENUM ('ok', 'great')",
                "CREATE TABLE shop.items (id serial PRIMARY KEY, mood shop.mood)",
                "INSERT INTO shop.items (mood) VALUES ('ok')",
                "CREATE VIEW public.item_view AS SELECT id FROM shop.items");

        HttpResponse<String> refused = api.delete(api.path("/schemas/" + oid));

        assertEquals(409, refused.statusCode(), refused.body());
        JsonNode problem = DataApi.parse(refused);
        assertEquals("schema_not_empty", problem.get("code").asText());
        assertEquals(List.of("items"), problem.get("tables").findValuesAsText("name"));
        assertEquals("[\"type shop.mood\"]", problem.get("objects").toString());
        assertEquals(List.of("view public.item_view"), problem.get("dependents").findValuesAsText("description"));
        assertEquals("1", api.scalar("SELECT count(*) FROM shop.items"), "nothing was dropped");

        assertEquals(400, api.delete(api.path("/schemas/" + oid + "?cascade=maybe")).statusCode());
        assertEquals(204, api.delete(api.path("/schemas/" + oid + "?cascade=true")).statusCode());

        assertNull(api.scalar("SELECT to_regnamespace('shop')"));
        assertNull(api.scalar("SELECT to_regclass('public.item_view')"), "what depended on it went with it, as the 409 said");
    }

    @Test
    void aSchemaHoldingOnlyTypesFunctionsOrSequencesIsNotEmptyEither() {
        long oid = createSchema("types_only");
        api.exec("CREATE DOMAIN types_only.positive AS int CHECK (VALUE > 0)", "CREATE TYPE types_only.pair AS (a int, b int)",
                "CREATE SEQUENCE types_only.counter", "CREATE FUNCTION types_only.twice(n int) RETURNS int LANGUAGE sql RETURN n * 2");

        HttpResponse<String> r = api.delete(api.path("/schemas/" + oid));

        assertEquals(409, r.statusCode(), r.body());
        assertEquals("[\"function types_only.twice(integer)\",\"sequence types_only.counter\",\"type types_only.pair\",\"type types_only.positive\"]",
                DataApi.parse(r).get("objects").toString());
        assertEquals(0, DataApi.parse(r).get("tables").size());
    }

    @Test
    void postgresAndRowansOwnSchemasAreNotFound() {
        for (String own : List.of("pg_catalog", "information_schema", "rowan", "rowan_types")) {
            String oid = api.scalar("SELECT oid FROM pg_namespace WHERE nspname = ?", own);
            HttpResponse<String> r = api.delete(api.path("/schemas/" + oid + "?cascade=true"));
            assertEquals(404, r.statusCode(), own + ": " + r.body());
            assertEquals("schema_not_found", DataApi.parse(r).get("code").asText());
            assertEquals(404, api.patch(api.path("/schemas/" + oid), json(Map.of("name", "mine"))).statusCode(), own);
            assertEquals(own, api.scalar("SELECT nspname FROM pg_namespace WHERE oid = ?::oid", Long.parseLong(oid)));
        }
        assertEquals(404, api.delete(api.path("/schemas/abc")).statusCode());
    }

    @Test
    void badNamesAreRefusedWithTheirReasonAndCreateNothing() {
        String before = api.scalar("SELECT count(*) FROM pg_namespace");

        assertProblem(422, "name_required", api.post(api.path("/schemas"), json(Map.of("name", ""))));
        assertProblem(422, "name_required", api.post(api.path("/schemas"), "{}"));
        assertProblem(422, "name_too_long", api.post(api.path("/schemas"), json(Map.of("name", "ä".repeat(32)))));
        assertProblem(422, "name_reserved", api.post(api.path("/schemas"), json(Map.of("name", "pg_mine"))));
        assertProblem(409, "name_taken", api.post(api.path("/schemas"), json(Map.of("name", "public"))));
        assertProblem(400, "invalid_field", api.post(api.path("/schemas"), json(Map.of("name", 42))));
        assertProblem(400, "malformed_json", api.post(api.path("/schemas"), "[\"x\"]"));
        assertProblem(400, "malformed_json", api.post(api.path("/schemas"), "{\"name\":"));

        assertEquals(before, api.scalar("SELECT count(*) FROM pg_namespace"));
    }

    @Test
    void renamingOntoAnotherSchemasNameIsAConflictAndChangesNothing() {
        long oid = createSchema("left");
        createSchema("right");

        assertProblem(409, "name_taken", api.patch(api.path("/schemas/" + oid), json(Map.of("name", "right", "comment", "lost?"))));

        assertEquals("left", api.scalar("SELECT nspname FROM pg_namespace WHERE oid = ?::oid", oid));
        assertNull(api.scalar("SELECT obj_description(?::oid, 'pg_namespace')", oid), "the comment in the same request was not applied either");
    }

    private static long createSchema(String name) {
        HttpResponse<String> r = api.post(api.path("/schemas"), json(Map.of("name", name)));
        assertEquals(201, r.statusCode(), r.body());
        return DataApi.parse(r).get("oid").asLong();
    }
}
