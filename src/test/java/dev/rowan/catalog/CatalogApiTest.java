package dev.rowan.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading what a connected database holds: schemas, tables with estimates, one table's columns, keys and references. */
class CatalogApiTest {
    @TempDir
    static Path tmp;
    static DataApi api;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        api.exec("CREATE SCHEMA shop",
                "CREATE TYPE shop.mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE shop.authors (id serial PRIMARY KEY, name text NOT NULL UNIQUE, mood shop.mood)",
                "CREATE TABLE shop.books (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title varchar(200) NOT NULL,"
                        + " author_id int REFERENCES shop.authors ON DELETE SET NULL, price rowan_types.money DEFAULT 0,"
                        + " contact rowan_types.email, tags text[], pages int CHECK (pages > 0), shelf point,"
                        + " title_upper text GENERATED ALWAYS AS (upper(title)) STORED)",
                "INSERT INTO shop.authors (name) SELECT 'author ' || g FROM generate_series(1, 500) g",
                "ANALYZE shop.authors",
                "CREATE VIEW shop.author_names AS SELECT name FROM shop.authors");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void schemasListOnlyThePeoplesOwnNotPostgresOrRowans() {
        JsonNode schemas = DataApi.parse(api.get(api.path("/schemas")));
        assertTrue(schemas.findValuesAsText("name").containsAll(java.util.List.of("public", "shop")), schemas.toString());
        assertFalse(schemas.findValuesAsText("name").contains("rowan"));
        assertFalse(schemas.findValuesAsText("name").contains("rowan_types"));
        assertFalse(schemas.findValuesAsText("name").contains("pg_catalog"));
    }

    @Test
    void tablesOfASchemaCarryOidNameAndAnEstimatedCount() {
        HttpResponse<String> r = api.get(api.path("/tables?schema=shop"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode tables = DataApi.parse(r);
        assertEquals(java.util.List.of("author_names", "authors", "books"), tables.findValuesAsText("name"));
        JsonNode authors = tables.get(1);
        assertEquals(api.oid("shop.authors"), authors.get("oid").asLong());
        assertEquals("shop", authors.get("schema").asText());
        assertEquals(500, authors.get("estimatedRows").asLong());
        assertEquals("view", tables.get(0).get("kind").asText());
        assertEquals(0, DataApi.parse(api.get(api.path("/tables?schema=nope"))).size());
    }

    @Test
    void aTableDescribesItsColumnsKeysAndReferences() {
        JsonNode books = DataApi.parse(api.get(api.path("/tables/" + api.oid("shop.books"))));
        assertEquals("books", books.get("name").asText());
        assertEquals("[\"id\"]", books.get("primaryKey").toString());
        JsonNode columns = books.get("columns");
        assertEquals("id", columns.get(0).get("name").asText());
        assertEquals("always", columns.get(0).get("identity").asText());
        assertFalse(columns.get(0).get("nullable").asBoolean());
        assertEquals("character varying(200)", columns.get(1).get("type").asText());
        assertEquals("text", columns.get(1).get("kind").asText());
        assertEquals("money", columns.get(3).get("kind").asText());
        assertEquals("0", columns.get(3).get("defaultExpression").asText());
        assertEquals("email", columns.get(4).get("kind").asText());
        assertEquals("array", columns.get(5).get("kind").asText());
        assertEquals("other", columns.get(7).get("kind").asText());
        assertTrue(columns.get(8).get("generated").asBoolean());
        JsonNode fk = books.get("foreignKeys").get(0);
        assertEquals(api.oid("shop.authors"), fk.get("referencedOid").asLong());
        assertEquals("[\"author_id\"]", fk.get("columns").toString());
        assertEquals("set_null", fk.get("onDelete").asText());

        JsonNode authors = DataApi.parse(api.get(api.path("/tables/" + api.oid("shop.authors"))));
        assertEquals("[\"sad\",\"ok\",\"happy\"]", authors.get("columns").get(2).get("enumValues").toString());
        assertEquals("enum", authors.get("columns").get(2).get("kind").asText());
        assertTrue(authors.get("columns").get(1).get("unique").asBoolean());
        assertEquals("books", authors.get("referencedBy").get(0).get("table").asText());
    }

    @Test
    void aTableWhoseKeyTheRoleCannotReadIsShownReadOnly() {
        String database = dev.rowan.testing.TestPostgres.databaseName(api.url);
        api.exec("CREATE ROLE limited_reader LOGIN", "GRANT CONNECT, CREATE ON DATABASE " + database + " TO limited_reader",
                "GRANT USAGE ON SCHEMA shop TO limited_reader", "GRANT CREATE ON SCHEMA rowan TO limited_reader", "GRANT ALL ON rowan.schema_history TO limited_reader",
                "GRANT SELECT (name, mood) ON shop.authors TO limited_reader");
        String url = api.url.replace("postgres://postgres@", "postgres://limited_reader@");
        HttpResponse<String> connected = api.post("/api/v1/databases", "{\"name\":\"Limited\",\"url\":\"" + url + "\"}");
        assertEquals(201, connected.statusCode(), connected.body());
        String limited = "/api/v1/databases/" + DataApi.parse(connected).get("id").asLong() + "/tables/" + api.oid("shop.authors");

        HttpResponse<String> described = api.get(limited);
        assertEquals(200, described.statusCode(), described.body());
        JsonNode authors = DataApi.parse(described);
        assertEquals("[]", authors.get("primaryKey").toString(), "the key column id is not readable");
        assertEquals(java.util.List.of("name", "mood"), authors.get("columns").findValuesAsText("name"));
        assertFalse(authors.get("canUpdate").asBoolean());
        assertFalse(authors.get("canInsert").asBoolean(), "an insert would be refused (read_only_table), so the table says so");
        HttpResponse<String> records = api.get(limited + "/records?limit=2");
        assertEquals(200, records.statusCode(), records.body());
        assertEquals(2, DataApi.parse(records).get("results").size());
        HttpResponse<String> insert = api.post(limited + "/records", "{\"name\":\"x\"}");
        assertEquals(409, insert.statusCode(), insert.body());
        assertEquals("read_only_table", DataApi.parse(insert).get("code").asText());
    }

    @Test
    void unknownTablesAndDatabasesAre404WithAProblem() {
        HttpResponse<String> r = api.get(api.path("/tables/1"));
        assertEquals(404, r.statusCode());
        assertEquals("table_not_found", DataApi.parse(r).get("code").asText());
        assertEquals("table_not_found", DataApi.parse(api.get(api.path("/tables/abc"))).get("code").asText());
        long pgClass = Long.parseLong(api.scalar("SELECT 'pg_catalog.pg_class'::regclass::oid"));
        assertEquals(404, api.get(api.path("/tables/" + pgClass)).statusCode(), "PostgreSQL's own tables are not shown");
        assertEquals(404, api.get("/api/v1/databases/999/tables").statusCode());
    }
}
