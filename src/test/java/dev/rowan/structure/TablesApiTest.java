package dev.rowan.structure;

import static dev.rowan.structure.StructureAsserts.assertProblem;
import static dev.rowan.structure.StructureAsserts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating, renaming, moving and deleting tables through the API, checked in PostgreSQL. */
class TablesApiTest {
    @TempDir
    static Path tmp;
    static DataApi api;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        api.exec("CREATE SCHEMA archive");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static List<String> columns(String table) {
        return StructureAsserts.columns(api, table);
    }

    @Test
    void aTableWithoutAPrimaryKeyGetsAnIdentityIdFirst() {
        HttpResponse<String> r = api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "books", "comment", "What we sell",
                "columns", List.of(
                        Map.of("name", "title", "type", "text", "nullable", false),
                        Map.of("name", "pages", "type", "integer", "default", "1,200"),
                        Map.of("name", "price", "type", "money", "default", "$12.50"),
                        Map.of("name", "isbn", "type", "text", "unique", true),
                        Map.of("name", "added", "type", "timestamptz", "defaultExpression", "now()", "nullable", false),
                        Map.of("name", "contact", "type", "email", "comment", "who to ask")))));

        assertEquals(201, r.statusCode(), r.body());
        JsonNode table = DataApi.parse(r);
        assertEquals(api.oid("public.books"), table.get("oid").asLong());
        assertEquals("[\"id\"]", table.get("primaryKey").toString());
        assertEquals(List.of("id", "title", "pages", "price", "isbn", "added", "contact"), table.get("columns").findValuesAsText("name"));
        assertEquals("What we sell", table.get("comment").asText());
        assertEquals(List.of("id bigint not null identity", "title text not null", "pages integer default 1200",
                "price rowan_types.money default 12.50", "isbn text", "added timestamp with time zone not null default now()",
                "contact rowan_types.email"), columns("public.books"));
        assertEquals("who to ask", api.scalar("SELECT col_description('public.books'::regclass, 7)"));
        assertEquals("UNIQUE (isbn)", api.scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'public.books'::regclass AND contype = 'u'"));

        api.exec("INSERT INTO public.books (title) VALUES ('Dune')");
        assertEquals("1|1200|12.50", api.scalar("SELECT concat_ws('|', id, pages, price) FROM public.books"));
    }

    @Test
    void aTableWithAGivenPrimaryKeyGetsNoExtraColumn() {
        HttpResponse<String> r = api.post(api.path("/tables"), json(Map.of("schema", "archive", "name", "codes",
                "columns", List.of(Map.of("name", "country", "type", "text"), Map.of("name", "code", "type", "integer")),
                "primaryKey", List.of("country", "code"))));

        assertEquals(201, r.statusCode(), r.body());
        assertEquals("[\"country\",\"code\"]", DataApi.parse(r).get("primaryKey").toString());
        assertEquals(List.of("country text not null", "code integer not null"), columns("archive.codes"));
    }

    @Test
    void aColumnCalledIdWithoutAPrimaryKeyIsAskedAbout() {
        assertProblem(422, "primary_key_required", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "clash",
                "columns", List.of(Map.of("name", "id", "type", "uuid"))))));
        assertNull(api.scalar("SELECT to_regclass('public.clash')"));

        HttpResponse<String> r = api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "clash",
                "columns", List.of(Map.of("name", "id", "type", "uuid", "defaultExpression", "gen_random_uuid()")), "primaryKey", List.of("id"))));
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(List.of("id uuid not null default gen_random_uuid()"), columns("public.clash"));
    }

    @Test
    void badTableRequestsAreRefusedAndCreateNothing() {
        String before = api.scalar("SELECT count(*) FROM pg_class");
        Map<String, Object> text = Map.of("name", "a", "type", "text");

        assertProblem(422, "unknown_schema", api.post(api.path("/tables"), json(Map.of("schema", "nope", "name", "t", "columns", List.of(text)))));
        assertProblem(422, "unknown_schema", api.post(api.path("/tables"), json(Map.of("schema", "rowan", "name", "t", "columns", List.of(text)))));
        assertProblem(400, "invalid_field", api.post(api.path("/tables"), json(Map.of("name", "t"))));
        assertProblem(422, "name_required", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", ""))));
        assertProblem(422, "name_too_long", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "x".repeat(64)))));
        assertProblem(400, "unknown_type", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "t",
                "columns", List.of(Map.of("name", "a", "type", "varchar(10); DROP TABLE x"))))));
        assertProblem(400, "invalid_field", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "t",
                "columns", List.of(Map.of("name", "a"))))));
        assertProblem(422, "duplicate_column", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "t",
                "columns", List.of(text, text)))));
        assertProblem(422, "unknown_column", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "t",
                "columns", List.of(text), "primaryKey", List.of("b")))));
        assertProblem(422, "unknown_expression", api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "t",
                "columns", List.of(Map.of("name", "a", "type", "text", "defaultExpression", "pg_sleep(10)"))))));
        HttpResponse<String> badDefault = api.post(api.path("/tables"), json(Map.of("schema", "public", "name", "t",
                "columns", List.of(Map.of("name", "n", "type", "integer", "default", "twelve")))));
        assertProblem(422, "invalid_default", badDefault);
        assertEquals("n", DataApi.parse(badDefault).get("column").asText());
        assertEquals("\"twelve\" is not a whole number.", DataApi.parse(badDefault).get("detail").asText());

        assertEquals(before, api.scalar("SELECT count(*) FROM pg_class"));
    }

    @Test
    void aTableIsRenamedMovedAndCommentedInOneRequest() {
        long oid = createTable("public", "old_name");

        HttpResponse<String> r = api.patch(api.path("/tables/" + oid), json(Map.of("name", "New Name", "schema", "archive", "comment", "moved")));

        assertEquals(200, r.statusCode(), r.body());
        JsonNode table = DataApi.parse(r);
        assertEquals("New Name", table.get("name").asText());
        assertEquals("archive", table.get("schema").asText());
        assertEquals("archive.\"New Name\"", api.scalar("SELECT ?::oid::regclass::text", oid));
        assertEquals("moved", api.scalar("SELECT obj_description(?::oid, 'pg_class')", oid));
    }

    @Test
    void aFailedTableChangeChangesNothingOfTheRequest() {
        long oid = createTable("public", "stays");
        createTable("archive", "stays");

        HttpResponse<String> r = api.patch(api.path("/tables/" + oid), json(Map.of("schema", "archive", "comment", "half-done?")));

        assertProblem(409, "name_taken", r);
        assertEquals("stays", api.scalar("SELECT ?::oid::regclass::text", oid));
        assertNull(api.scalar("SELECT obj_description(?::oid, 'pg_class')", oid));
        assertProblem(422, "unknown_schema", api.patch(api.path("/tables/" + oid), json(Map.of("schema", "nowhere"))));
        assertProblem(422, "name_too_long", api.patch(api.path("/tables/" + oid), json(Map.of("name", "€".repeat(22)))));
        assertEquals("stays", api.scalar("SELECT ?::oid::regclass::text", oid));
    }

    @Test
    void aTableOthersDependOnIsKeptAndTheyAreListedUnlessDeletedWithCascade() {
        long customers = createTable("public", "customers");
        api.exec("INSERT INTO customers DEFAULT VALUES",
                "CREATE TABLE orders (id int PRIMARY KEY, customer bigint CONSTRAINT orders_customer_fkey REFERENCES customers)",
                "INSERT INTO orders VALUES (1, 1)",
                "CREATE VIEW customer_ids AS SELECT id FROM customers",
                "CREATE VIEW customer_ids_again AS SELECT id FROM customer_ids");

        HttpResponse<String> refused = api.delete(api.path("/tables/" + customers));

        assertProblem(409, "has_dependents", refused);
        JsonNode dependents = DataApi.parse(refused).get("dependents");
        assertEquals(List.of("table constraint orders_customer_fkey on public.orders", "view public.customer_ids", "view public.customer_ids_again"),
                dependents.findValuesAsText("description"));
        assertEquals(api.oid("public.orders"), dependents.get(0).get("table").asLong());
        assertEquals("1", api.scalar("SELECT count(*) FROM customers"));

        assertEquals(204, api.delete(api.path("/tables/" + customers + "?cascade=true")).statusCode());

        assertNull(api.scalar("SELECT to_regclass('public.customers')"));
        assertNull(api.scalar("SELECT to_regclass('public.customer_ids_again')"));
        assertEquals("1", api.scalar("SELECT count(*) FROM orders"), "the referring table stays, without its foreign key");
        assertEquals("0", api.scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.orders'::regclass AND contype = 'f'"));
    }

    @Test
    void aTableWithOnlyItsOwnPartsIsDeletedWithoutCascade() {
        long oid = createTable("public", "self_contained");
        api.exec("ALTER TABLE self_contained ADD COLUMN parent bigint REFERENCES self_contained, ADD CHECK (parent <> id)",
                "CREATE INDEX ON self_contained (parent)");

        assertEquals(204, api.delete(api.path("/tables/" + oid)).statusCode());

        assertNull(api.scalar("SELECT to_regclass('public.self_contained')"));
        assertProblem(404, "table_not_found", api.delete(api.path("/tables/" + oid)));
    }

    @Test
    void viewsAreRenamedAndDeletedButTheirColumnsAreNotChanged() {
        api.exec("CREATE VIEW one AS SELECT 1 AS n");
        long view = api.oid("public.one");

        assertEquals(200, api.patch(api.path("/tables/" + view), json(Map.of("name", "uno", "comment", "a view"))).statusCode());
        assertEquals("a view", api.scalar("SELECT obj_description('public.uno'::regclass, 'pg_class')"));
        assertProblem(422, "not_a_table", api.post(api.path("/tables/" + view + "/columns"), json(Map.of("name", "m", "type", "text"))));

        assertEquals(204, api.delete(api.path("/tables/" + view)).statusCode());
        assertNull(api.scalar("SELECT to_regclass('public.uno')"));
    }

    @Test
    void postgresOwnTablesCannotBeChanged() {
        String pgClass = api.scalar("SELECT 'pg_catalog.pg_class'::regclass::oid");
        assertProblem(404, "table_not_found", api.delete(api.path("/tables/" + pgClass + "?cascade=true")));
        assertProblem(404, "table_not_found", api.patch(api.path("/tables/" + pgClass), json(Map.of("name", "x"))));
        assertEquals("pg_class", api.scalar("SELECT relname FROM pg_class WHERE oid = ?::oid", Long.parseLong(pgClass)));
    }

    static long createTable(String schema, String name) {
        HttpResponse<String> r = api.post(api.path("/tables"), json(Map.of("schema", schema, "name", name, "columns", List.of())));
        assertEquals(201, r.statusCode(), r.body());
        return DataApi.parse(r).get("oid").asLong();
    }
}
