package dev.rowan.records;

import static dev.rowan.records.Answers.ok;
import static dev.rowan.records.Answers.problem;
import static dev.rowan.records.Answers.q;
import static dev.rowan.records.Answers.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Inserting, changing and deleting records: values as people type them, errors on the column at fault, what cannot be written. */
class RecordsWriteTest {
    @TempDir
    static Path tmp;
    static DataApi api;
    static String books;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        api.exec("CREATE TABLE authors (id serial PRIMARY KEY, name text NOT NULL UNIQUE)",
                "CREATE TABLE books (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title varchar(20) NOT NULL,"
                        + " pages int CHECK (pages > 0), price rowan_types.money, contact rowan_types.email, site rowan_types.uri,"
                        + " published date, in_print boolean, rating numeric(3,1), tags text[], nums int[], meta jsonb,"
                        + " author_id int REFERENCES authors, isbn text UNIQUE, title_upper text GENERATED ALWAYS AS (upper(title)) STORED)",
                "CREATE TABLE counters (id serial PRIMARY KEY, n int DEFAULT 7)",
                "CREATE TABLE pairs (a int, b text, v text, PRIMARY KEY (a, b))",
                "CREATE TABLE keyless (a int, b text)", "INSERT INTO keyless VALUES (1, 'x')",
                "CREATE VIEW book_titles AS SELECT id, title FROM books",
                "CREATE TABLE expressions (id int PRIMARY KEY, tree pg_node_tree, note text)",
                "CREATE TABLE named_values (id int PRIMARY KEY, label text DEFAULT 'x')",
                "INSERT INTO expressions SELECT 1, adbin, 'n' FROM pg_attrdef WHERE adrelid = 'named_values'::regclass");
        books = api.path("/tables/" + api.oid("books") + "/records");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void freshData() {
        api.exec("TRUNCATE books, authors RESTART IDENTITY CASCADE", "INSERT INTO authors (name) VALUES ('Ursula'), ('Terry')",
                "INSERT INTO books (title, pages, isbn, author_id) VALUES ('First', 10, 'isbn-1', 1), ('Second', 20, 'isbn-2', 2)",
                "TRUNCATE pairs", "INSERT INTO pairs VALUES (1, 'x', 'one'), (1, 'y/z', 'two'), (2, 'x', 'three')");
    }

    static String bookCount() {
        return api.scalar("SELECT count(*) FROM books");
    }

    @Test
    void insertingStoresValuesAsPeopleTypeThemAndAnswersTheStoredRecord() {
        HttpResponse<String> r = api.post(books, "{\"title\":\"Third\",\"pages\":\"300\",\"price\":\"$1,234.50\","
                + "\"contact\":\"Ann <Ann@Example.ORG>\",\"site\":\"example.org\",\"published\":\"March 5, 2024\",\"in_print\":\"yes\","
                + "\"rating\":4.5,\"tags\":[\"a\",\"b,c\",null],\"nums\":\"{1,2}\",\"meta\":{\"k\":[1,2]},\"author_id\":1,\"isbn\":\"isbn-3\"}");
        JsonNode book = Answers.status(r, 201);
        assertEquals(3, book.get("id").asInt());
        assertEquals("Third", book.get("title").asText());
        assertEquals(300, book.get("pages").intValue());
        assertTrue(r.body().contains("\"price\":1234.50,"), r.body());
        assertEquals("Ann@example.org", book.get("contact").asText());
        assertEquals("http://example.org", book.get("site").asText());
        assertEquals("2024-03-05", book.get("published").asText());
        assertTrue(book.get("in_print").booleanValue());
        assertEquals("{a,\"b,c\",NULL}", book.get("tags").asText());
        assertEquals("{1,2}", book.get("nums").asText());
        assertEquals("{\"k\":[1,2]}", book.get("meta").toString());
        assertEquals("THIRD", book.get("title_upper").asText());
        assertEquals("Third|300|1234.50|Ann@example.org|2024-03-05|t|{a,\"b,c\",NULL}|{\"k\": [1, 2]}|1",
                api.scalar("SELECT concat_ws('|', title, pages, price, contact, published, in_print, tags, meta, author_id) FROM books WHERE id = 3"));
    }

    @Test
    void wholeNumbersAreReadAsPeopleWriteThemAndLargeKeysStayExact() {
        JsonNode book = Answers.status(api.patch(books + "/1", "{\"pages\":\"1,234\"}"), 200);
        assertEquals(1234, book.get("pages").intValue());
        assertEquals("1234", api.scalar("SELECT pages FROM books WHERE id = 1"));
        Answers.problem(api.patch(books + "/1", "{\"pages\":\"12.5\"}"), 422, "invalid_value");
        assertEquals("1234", api.scalar("SELECT pages FROM books WHERE id = 1"), "a refused value changes nothing");
        // bigint: read by bigint's reader, so a value beyond integer's range is found
        api.exec("INSERT INTO books (id, title) OVERRIDING SYSTEM VALUE VALUES (5000000000, 'Big')");
        JsonNode big = Answers.status(api.get(books + "?filter=" + java.net.URLEncoder.encode(
                "{\"column\":\"id\",\"op\":\"eq\",\"value\":\"5,000,000,000\"}", java.nio.charset.StandardCharsets.UTF_8)), 200);
        assertEquals(1, big.get("results").size(), big.toString());
        assertEquals("Big", big.get("results").get(0).get("title").asText());
    }

    @Test
    void anEmptyRecordTakesAllDefaults() {
        JsonNode row = status(api.post(api.path("/tables/" + api.oid("counters") + "/records"), "{}"), 201);
        assertEquals(7, row.get("n").asInt());
        assertEquals("7", api.scalar("SELECT n FROM counters WHERE id = ?", row.get("id").asInt()));
    }

    @Test
    void jsonColumnsStoreTheJsonValueItselfAndNullIsSqlNull() {
        JsonNode row = status(api.post(books, "{\"title\":\"J\",\"meta\":\"just text\",\"nums\":[1,null,3],\"isbn\":null}"), 201);
        assertEquals("just text", row.get("meta").textValue());
        assertEquals("\"just text\"|{1,NULL,3}|t", api.scalar("SELECT concat_ws('|', meta, nums, isbn IS NULL) FROM books WHERE id = ?",
                row.get("id").asInt()));
    }

    @Test
    void patchingChangesOnlyTheGivenFields() {
        JsonNode book = ok(api.patch(books + "/1", "{\"pages\":11,\"tags\":\"{x}\"}"));
        assertEquals(11, book.get("pages").intValue());
        assertEquals("First", book.get("title").asText());
        assertEquals("{x}", book.get("tags").asText());
        assertEquals("First|11|isbn-1|1|{x}", api.scalar("SELECT concat_ws('|', title, pages, isbn, author_id, tags) FROM books WHERE id = 1"));
        assertEquals("Second|20", api.scalar("SELECT concat_ws('|', title, pages) FROM books WHERE id = 2"));
        assertEquals(book, ok(api.patch(books + "/1", "{}")));
        assertEquals(book, ok(api.get(books + "/1")));
    }

    @Test
    void patchingOrDeletingARecordThatIsNotThereIsA404() {
        problem(api.patch(books + "/99", "{\"pages\":1}"), 404, "record_not_found");
        problem(api.patch(books + "/abc", "{\"pages\":1}"), 404, "record_not_found");
        problem(api.delete(books + "/99"), 404, "record_not_found");
        problem(api.delete(books + "/x"), 404, "record_not_found");
        assertEquals("2", bookCount());
    }

    @Test
    void deletingOneRecord() {
        HttpResponse<String> r = api.delete(books + "/2");
        assertEquals(204, r.statusCode(), r.body());
        assertEquals("1", bookCount());
        problem(api.get(books + "/2"), 404, "record_not_found");
    }

    @Test
    void deletingSeveralRecordsAtOnce() {
        api.exec("INSERT INTO books (title) VALUES ('Third'), ('Fourth')");
        JsonNode r = ok(api.post(books + "/delete", "{\"keys\":[\"1\",3,\"99\"]}"));
        assertEquals(2, r.get("deleted").asInt());
        assertEquals("2,4", api.scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM books"));
        assertEquals(0, ok(api.post(books + "/delete", "{\"keys\":[]}")).get("deleted").asInt());
        problem(api.post(books + "/delete", "{\"ids\":[1]}"), 400, "invalid_body");
        problem(api.post(books + "/delete", "{\"keys\":[{\"id\":1}]}"), 400, "invalid_key");
    }

    @Test
    void deletingRecordsOthersReferToDeletesNoneAndNamesTheReferringTable() {
        String authors = api.path("/tables/" + api.oid("authors") + "/records");
        api.exec("INSERT INTO authors (name) VALUES ('Nobody')");
        JsonNode p = problem(api.post(authors + "/delete", "{\"keys\":[3, 1]}"), 409, "still_referenced");
        assertEquals("books", p.get("referencingTable").get("name").asText());
        assertEquals("public", p.get("referencingTable").get("schema").asText());
        assertTrue(p.get("detail").asText().contains("books"), p.toString());
        assertEquals("3", api.scalar("SELECT count(*) FROM authors"));
        problem(api.delete(authors + "/2"), 409, "still_referenced");
        assertEquals("3", api.scalar("SELECT count(*) FROM authors"));
    }

    @Test
    void numbersInExponentFormAreTheNumbersTheyDenote() {
        JsonNode book = status(api.post(books, "{\"title\":\"Exp\",\"price\":1E+2,\"pages\":1.5e3,\"rating\":2.5E0}"), 201);
        assertEquals("100|1500|2.5", api.scalar("SELECT concat_ws('|', price, pages, rating) FROM books WHERE title = 'Exp'"));
        assertEquals(100, book.get("price").intValue());
        ok(api.patch(books + "/" + book.get("id").asInt(), "{\"price\":-1.2345e2,\"pages\":2E+1}"));
        assertEquals("-123.45|20", api.scalar("SELECT concat_ws('|', price, pages) FROM books WHERE title = 'Exp'"));
        JsonNode p = problem(api.patch(books + "/" + book.get("id").asInt(), "{\"pages\":1.5E0}"), 422, "invalid_value");
        assertEquals("pages", p.get("column").asText());
        problem(api.patch(books + "/" + book.get("id").asInt(), "{\"price\":1E+999999999}"), 422, "invalid_value");
        assertEquals("-123.45|20", api.scalar("SELECT concat_ws('|', price, pages) FROM books WHERE title = 'Exp'"));
    }

    @Test
    void textWithANulCharacterIsRefusedOnItsColumnSayingWhy() {
        JsonNode p = problem(api.post(books, "{\"title\":\"a\\u0000b\"}"), 422, "invalid_value");
        assertEquals("title", p.get("column").asText());
        assertTrue(p.get("detail").asText().contains("cannot contain the NUL character"), p.toString());
        assertEquals("2", bookCount());
    }

    @ParameterizedTest(name = "{0} → {1} on {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"title\":\"T\",\"pages\":\"abc\"}|invalid_value|pages",
            "{\"title\":\"T\",\"pages\":1.5}|invalid_value|pages",
            "{\"title\":\"T\",\"contact\":\"not an email\"}|invalid_value|contact",
            "{\"title\":\"T\",\"site\":\"/just/a/path\"}|invalid_value|site",
            "{\"title\":\"T\",\"price\":\"lots\"}|invalid_value|price",
            "{\"title\":null}|value_required|title",
            "{\"pages\":5}|value_required|title",
            "{\"title\":\"T\",\"isbn\":\"isbn-1\"}|duplicate_value|isbn",
            "{\"title\":\"T\",\"author_id\":999}|missing_reference|author_id",
            "{\"title\":\"T\",\"pages\":-1}|check_failed|pages",
            "{\"title\":\"this title is far too long\"}|invalid_value|title",
            "{\"title\":\"T\",\"rating\":12345}|invalid_value|rating",
            "{\"title\":\"T\",\"pages\":5,\"published\":\"someday\"}|invalid_value|published",
            "{\"title\":\"T\",\"in_print\":\"perhaps\"}|invalid_value|in_print",
            "{\"title\":\"T\",\"nums\":[[1,2],[3]]}|invalid_value|nums",
            "{\"title\":\"T\",\"nums\":\"1,2\"}|invalid_value|nums",
            "{\"title\":\"T\",\"nums\":{\"a\":1}}|invalid_value|nums",
            "{\"title\":{\"a\":1}}|invalid_value|title"})
    void aValueTheDatabaseRefusesIsA422OnItsColumnAndNothingIsStored(String body, String code, String column) {
        JsonNode p = problem(api.post(books, body), 422, code);
        assertEquals(column, p.get("column").asText(), p.toString());
        assertEquals("2", bookCount());
    }

    @Test
    void aPatchThatBreaksARuleIsA422OnItsColumnAndChangesNothing() {
        assertEquals("isbn", problem(api.patch(books + "/2", "{\"pages\":3,\"isbn\":\"isbn-1\"}"), 422, "duplicate_value").get("column").asText());
        assertEquals("pages", problem(api.patch(books + "/2", "{\"pages\":\"many\"}"), 422, "invalid_value").get("column").asText());
        assertEquals("title", problem(api.patch(books + "/2", "{\"title\":null}"), 422, "value_required").get("column").asText());
        assertEquals("Second|20|isbn-2", api.scalar("SELECT concat_ws('|', title, pages, isbn) FROM books WHERE id = 2"));
    }

    @Test
    void generatedAndIdentityColumnsAreReadOnlyAndUnknownColumnsUnknown() {
        JsonNode p = problem(api.post(books, "{\"title\":\"T\",\"id\":5}"), 422, "read_only_column");
        assertEquals("id", p.get("column").asText());
        assertEquals("title_upper", problem(api.patch(books + "/1", "{\"title_upper\":\"X\"}"), 422, "read_only_column").get("column").asText());
        assertTrue(problem(api.post(books, "{\"title\":\"T\",\"colour\":\"red\"}"), 400, "unknown_column").get("detail").asText().contains("colour"));
        problem(api.post(books, "[1]"), 400, "invalid_body");
        problem(api.post(books, "{bad json"), 400, "malformed_json");
        problem(api.post(books, ""), 400, "malformed_json");
        assertEquals("2", bookCount());
    }

    @Test
    void viewsAndTablesWithoutPrimaryKeyAreReadOnly() {
        String view = api.path("/tables/" + api.oid("book_titles") + "/records");
        problem(api.post(view, "{\"title\":\"T\"}"), 409, "read_only_table");
        problem(api.patch(view + "/1", "{\"title\":\"T\"}"), 409, "read_only_table");
        problem(api.delete(view + "/1"), 409, "read_only_table");
        String keyless = api.path("/tables/" + api.oid("keyless") + "/records");
        JsonNode p = problem(api.post(keyless, "{\"a\":2}"), 409, "read_only_table");
        assertTrue(p.get("detail").asText().contains("primary key"), p.toString());
        problem(api.post(keyless + "/delete", "{\"keys\":[1]}"), 409, "read_only_table");
        assertEquals("1", api.scalar("SELECT count(*) FROM keyless"));
        assertEquals("2", bookCount());
    }

    @Test
    void aTypeWithoutTextInputIsShownButNotEditable() {
        String url = api.path("/tables/" + api.oid("expressions") + "/records");
        JsonNode page = ok(api.get(url));
        assertTrue(page.get("results").get(0).get("tree").asText().startsWith("{"), page.toString());
        JsonNode p = problem(api.patch(url + "/1", "{\"tree\":\"{}\"}"), 422, "not_editable");
        assertEquals("tree", p.get("column").asText());
        assertEquals("m", ok(api.patch(url + "/1", "{\"note\":\"m\"}")).get("note").asText());
    }

    @Test
    void recordsWithACompositeKeyAreAddressedByAJsonList() {
        String pairs = api.path("/tables/" + api.oid("pairs") + "/records");
        assertEquals("two", ok(api.get(pairs + "/" + q("[1,\"y/z\"]"))).get("v").asText());
        assertEquals("uno", ok(api.patch(pairs + "/" + q("[\"1\",\"x\"]"), "{\"v\":\"uno\"}")).get("v").asText());
        assertEquals("uno", api.scalar("SELECT v FROM pairs WHERE a = 1 AND b = 'x'"));
        assertEquals(204, api.delete(pairs + "/" + q("[2,\"x\"]")).statusCode());
        assertEquals(1, ok(api.post(pairs + "/delete", "{\"keys\":[[1,\"x\"],[5,\"q\"]]}")).get("deleted").asInt());
        assertEquals("1:y/z", api.scalar("SELECT string_agg(a || ':' || b, ',') FROM pairs"));
        problem(api.get(pairs + "/1"), 400, "invalid_key");
        problem(api.get(pairs + "/" + q("[1]")), 400, "invalid_key");
        problem(api.get(pairs + "/" + q("[1,{}]")), 400, "invalid_key");
        problem(api.get(pairs + "/" + q("[\"one\",\"x\"]")), 404, "record_not_found");
    }

    @Test
    void keysWithSlashesSpacesAndUnicodeAreAddressable() {
        api.exec("CREATE TABLE tags (name text PRIMARY KEY, n int)",
                "INSERT INTO tags VALUES ('a b', 1), ('ü/ñ?#%', 2), ('x+y', 3)");
        String tags = api.path("/tables/" + api.oid("tags") + "/records");
        assertEquals(1, ok(api.get(tags + "/" + q("a b"))).get("n").asInt());
        assertEquals(2, ok(api.get(tags + "/" + q("ü/ñ?#%"))).get("n").asInt());
        assertEquals(3, ok(api.get(tags + "/" + q("x+y"))).get("n").asInt());
        assertEquals(20, ok(api.patch(tags + "/" + q("ü/ñ?#%"), "{\"n\":20}")).get("n").asInt());
        assertEquals("20", api.scalar("SELECT n FROM tags WHERE name = 'ü/ñ?#%'"));
    }
}
