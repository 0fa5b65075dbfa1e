package dev.rowan.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
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
 * A database holding most of what PostgreSQL can hold (fixtures/everything.sql) browses without a
 * single server error: every table's description, its records sorted by each column in both
 * directions, filtered on each column, searched, and exported.
 */
class EverythingBrowsesTest {
    @TempDir
    static Path tmp;
    static DataApi api;

    @BeforeAll
    static void start() throws IOException {
        api = DataApi.start(tmp.resolve("data"));
        try (InputStream in = EverythingBrowsesTest.class.getResourceAsStream("/fixtures/everything.sql")) {
            api.exec(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static List<JsonNode> allTables() {
        List<JsonNode> out = new ArrayList<>();
        DataApi.parse(api.get(api.path("/tables"))).forEach(out::add);
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void noServerError(String path, List<String> failures) {
        HttpResponse<String> r = api.get(path);
        if (r.statusCode() >= 500) failures.add(path + " -> " + r.statusCode() + " " + r.body());
    }

    @Test
    void everyTableIsListedAndDescribed() {
        List<JsonNode> tables = allTables();
        assertEquals(List.of("select", "mood_counts", "no_key", "people", "people_moods", "shapes", "visits"),
                tables.stream().map(t -> t.get("name").asText()).toList(), "sorted by schema, then name");
        for (JsonNode t : tables) {
            HttpResponse<String> r = api.get(api.path("/tables/" + t.get("oid").asLong()));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(DataApi.parse(r).get("columns").size() > 0);
        }
    }

    @Test
    void everyColumnSortsFiltersAndSearchesWithoutAServerError() {
        List<String> failures = new ArrayList<>();
        for (JsonNode t : allTables()) {
            long oid = t.get("oid").asLong();
            String records = api.path("/tables/" + oid + "/records");
            HttpResponse<String> plain = api.get(records);
            assertEquals(200, plain.statusCode(), t.get("name") + ": " + plain.body());
            for (JsonNode column : DataApi.parse(api.get(api.path("/tables/" + oid))).get("columns")) {
                String name = column.get("name").asText().replace("%", "%25").replace(",", "%2C");
                noServerError(records + "?order=" + enc(name + ":asc"), failures);
                noServerError(records + "?order=" + enc(name + ":desc"), failures);
                String filter = DataApi.JSON.createObjectNode().put("column", column.get("name").asText()).put("op", "is_null").toString();
                noServerError(records + "?filter=" + enc(filter), failures);
                String eq = DataApi.JSON.createObjectNode().put("column", column.get("name").asText()).put("op", "eq").put("value", "x").toString();
                noServerError(records + "?filter=" + enc(eq), failures);
            }
            noServerError(records + "?search=a", failures);
            noServerError(api.path("/tables/" + oid + "/export.csv"), failures);
        }
        assertEquals(List.of(), failures);
    }
}
