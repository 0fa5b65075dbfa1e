package dev.rowan.records;

import static dev.rowan.records.Answers.ok;
import static dev.rowan.records.Answers.problem;
import static dev.rowan.records.Answers.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Foreign keys: summaries of the referenced records on a page, candidates for a record picker, and the records referring to one. */
class ForeignKeysTest {
    @TempDir
    static Path tmp;
    static DataApi api;

    @BeforeAll
    static void start() {
        api = DataApi.start(tmp.resolve("data"));
        api.exec("CREATE TABLE authors (id serial PRIMARY KEY, born int, full_name text, nickname text)",
                "INSERT INTO authors (born, full_name, nickname) VALUES (1929, 'Ursula K. Le Guin', 'UKL'), (1948, 'Terry Pratchett', 'PTerry'),"
                        + " (1900, repeat('Very long name ', 10), NULL), (1950, NULL, 'Anonymous')",
                "CREATE TABLE codes (code int PRIMARY KEY, weight numeric)", "INSERT INTO codes VALUES (7, 1.5), (8, 2.5)",
                "CREATE TABLE shelves (room int, slot text, label text, PRIMARY KEY (room, slot))",
                "INSERT INTO shelves VALUES (1, 'A', 'Fantasy'), (1, 'B', 'Science fiction'), (2, 'A', 'Comics')",
                "CREATE TABLE books (id int PRIMARY KEY, title text, author_id int REFERENCES authors, code int REFERENCES codes,"
                        + " room int, slot text, FOREIGN KEY (room, slot) REFERENCES shelves)",
                "INSERT INTO books SELECT g, 'Book ' || g, CASE WHEN g % 5 = 0 THEN NULL ELSE 1 + g % 4 END, CASE WHEN g % 2 = 0 THEN 7 END,"
                        + " CASE WHEN g % 3 = 0 THEN 2 ELSE 1 END, CASE WHEN g % 3 = 1 THEN 'B' ELSE 'A' END FROM generate_series(1, 30) g",
                "CREATE TABLE reviews (id int PRIMARY KEY, book_id int REFERENCES books ON DELETE CASCADE, stars int)",
                "INSERT INTO reviews SELECT g, 1 + g % 3, g % 5 FROM generate_series(1, 25) g");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aPageSummarizesEachReferencedRecordOnceByItsBestColumn() {
        JsonNode page = ok(api.get(api.records("books") + "?limit=8"));
        JsonNode authors = page.get("summaries").get("author_id");
        assertEquals("Ursula K. Le Guin", authors.get("1").asText());
        assertEquals("Terry Pratchett", authors.get("2").asText());
        assertEquals(4, authors.size(), authors.toString());
        // No text column: the key is the summary.
        assertEquals("7", page.get("summaries").get("code").get("7").asText());
        assertEquals(1, page.get("summaries").get("code").size());
        // Several columns: keyed by the JSON list of the values, under the first column.
        JsonNode shelves = page.get("summaries").get("room");
        assertEquals("Science fiction", shelves.get("[\"1\",\"B\"]").asText());
        assertEquals("Comics", shelves.get("[\"2\",\"A\"]").asText());
    }

    @Test
    void aLongSummaryIsCutWithAnEllipsisAndAMissingOneFallsBackToTheKey() {
        JsonNode authors = ok(api.get(api.records("books") + "?limit=4")).get("summaries").get("author_id");
        String cut = authors.get("3").asText();
        assertEquals(80, cut.codePointCount(0, cut.length()));
        assertTrue(cut.endsWith("…"));
        assertEquals("4", authors.get("4").asText());
    }

    @Test
    void aPageWithoutReferencesHasEmptySummaries() {
        JsonNode page = ok(api.get(api.records("books") + "?filter=" + q("{\"column\":\"author_id\",\"op\":\"is_null\"}")));
        assertEquals(6, page.get("results").size());
        assertEquals(0, page.get("summaries").get("author_id").size());
        assertEquals(0, ok(api.get(api.records("authors"))).get("summaries").size());
    }

    @Test
    void candidatesListReferencedRecordsInKeyOrderOrBySummaryWhenSearched() {
        String url = api.path("/tables/" + api.oid("books") + "/columns/3/candidates");
        JsonNode all = ok(api.get(url));
        assertEquals(List.of("1", "2", "3", "4"), keys(all));
        assertEquals("Ursula K. Le Guin", all.get(0).get("summary").asText());
        assertEquals("1", all.get(0).get("values").get("author_id").asText());
        assertEquals(List.of("2"), keys(ok(api.get(url + "?search=pratch"))));
        assertEquals(List.of("2", "1"), keys(ok(api.get(url + "?search=" + q("e")))).subList(0, 2));
        assertEquals(List.of("1", "2"), keys(ok(api.get(url + "?limit=2"))));
        assertEquals(List.of("3"), keys(ok(api.get(url + "?search=3"))));
        problem(api.get(url + "?limit=101"), 400, "invalid_parameter");
        assertTrue(problem(api.get(url + "?search=" + q("pratch\u0000")), 400, "invalid_parameter").get("detail").asText()
                .contains("cannot contain the NUL character"));
    }

    @Test
    void candidatesOfACompositeForeignKeyGiveEveryColumnsValue() {
        JsonNode all = ok(api.get(api.path("/tables/" + api.oid("books") + "/columns/6/candidates?search=fiction")));
        assertEquals(1, all.size());
        assertEquals("[\"1\",\"B\"]", all.get(0).get("key").toString());
        assertEquals("1", all.get(0).get("values").get("room").asText());
        assertEquals("B", all.get(0).get("values").get("slot").asText());
    }

    @Test
    void candidatesOfAColumnThatRefersToNothingAreRefused() {
        problem(api.get(api.path("/tables/" + api.oid("books") + "/columns/2/candidates")), 400, "not_a_foreign_key");
        problem(api.get(api.path("/tables/" + api.oid("books") + "/columns/99/candidates")), 404, "column_not_found");
        problem(api.get(api.path("/tables/" + api.oid("books") + "/columns/x/candidates")), 404, "column_not_found");
    }

    static List<String> keys(JsonNode candidates) {
        List<String> out = new ArrayList<>();
        candidates.forEach(c -> out.add(c.get("key").asText()));
        return out;
    }

    @Test
    void aRecordListsTheRecordsReferringToItPerForeignKey() {
        JsonNode referrers = ok(api.get(api.records("authors") + "/2/referrers"));
        assertEquals(1, referrers.size());
        JsonNode books = referrers.get(0);
        assertEquals(api.oid("books"), books.get("tableOid").asLong());
        assertEquals("public", books.get("schema").asText());
        assertEquals("books", books.get("table").asText());
        assertEquals("[\"author_id\"]", books.get("columns").toString());
        assertEquals(api.scalar("SELECT count(*) FROM books WHERE author_id = 2"), books.get("count").asText());
        assertFalse(books.get("countIsEstimate").asBoolean());
        assertEquals(List.of(1, 9, 13, 17, 21, 29), Answers.ids(books));
        books.get("results").forEach(b -> assertEquals(2, b.get("author_id").asInt()));
    }

    @Test
    void referrersShowTheFirstTwentyWithTheFullCount() {
        api.exec("INSERT INTO reviews SELECT 100 + g, 30, 1 FROM generate_series(1, 25) g");
        JsonNode reviews = ok(api.get(api.records("books") + "/30/referrers")).get(0);
        assertEquals(25, reviews.get("count").asInt());
        assertEquals(20, reviews.get("results").size());
        assertEquals(101, reviews.get("results").get(0).get("id").asInt());
    }

    @Test
    void referrersThroughACompositeKeyAndForARecordNobodyRefersTo() {
        JsonNode shelf = ok(api.get(api.records("shelves") + "/" + q("[2,\"A\"]") + "/referrers"));
        assertEquals("[\"room\",\"slot\"]", shelf.get(0).get("columns").toString());
        assertEquals(api.scalar("SELECT count(*) FROM books WHERE room = 2 AND slot = 'A'"), shelf.get(0).get("count").asText());
        JsonNode none = ok(api.get(api.records("codes") + "/8/referrers"));
        assertEquals(0, none.get(0).get("count").asInt());
        assertEquals(0, none.get(0).get("results").size());
        problem(api.get(api.records("codes") + "/9/referrers"), 404, "record_not_found");
        problem(api.get(api.records("codes") + "/nine/referrers"), 404, "record_not_found");
    }

    @Test
    void aTableNoForeignKeyPointsAtHasNoReferrers() {
        assertEquals(0, ok(api.get(api.records("reviews") + "/1/referrers")).size());
        problem(api.get(api.records("reviews") + "/999999/referrers"), 404, "record_not_found");
    }
}
