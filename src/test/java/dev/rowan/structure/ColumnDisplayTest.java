package dev.rowan.structure;

import static dev.rowan.structure.StructureAsserts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import dev.rowan.testing.TestRowan;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Column order and widths live in Rowan's own database: they outlast a restart and leave with the database. */
class ColumnDisplayTest {
    @TempDir
    Path tmp;

    @Test
    void theArrangementOutlastsARestartAndIsForgottenWithTheDatabase() throws SQLException {
        Path data = tmp.resolve("data");
        long db;
        long table;
        try (DataApi api = DataApi.start(data)) {
            db = api.db;
            api.exec("CREATE TABLE wide (a int, b text, c date)", "CREATE TABLE dropped (x int)");
            table = api.oid("public.wide");
            HttpResponse<String> r = api.put(api.path("/tables/" + table + "/display"), json(Map.of("columns", List.of(
                    Map.of("column", 3, "position", 0, "width", 120), Map.of("column", 2, "position", 1, "width", 400)))));
            assertEquals(200, r.statusCode(), r.body());
            long dropped = api.oid("public.dropped");
            assertEquals(200, api.put(api.path("/tables/" + dropped + "/display"), json(Map.of("columns", List.of(Map.of("column", 1, "width", 99)))))
                    .statusCode());
            assertEquals(204, api.delete(api.path("/tables/" + dropped)).statusCode());
            assertEquals(List.of("wide 2", "wide 3"), displayRows(data), "deleting a table through Rowan forgets its arrangement");
        }

        try (TestRowan again = TestRowan.start(data)) {
            HttpResponse<String> login = again.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"correct horse battery\"}");
            assertEquals(200, login.statusCode(), login.body());
            String cookie = "rowan_session=" + TestRowan.sessionCookie(login);
            String csrf = DataApi.parse(login).get("csrfToken").asText();

            JsonNode wide = DataApi.parse(again.get("/api/v1/databases/" + db + "/tables/" + table, "Cookie", cookie));
            assertEquals(List.of("c", "b", "a"), wide.get("columns").findValuesAsText("name"));
            assertEquals(List.of("120", "400", "null"), wide.get("columns").findValuesAsText("width"));

            HttpResponse<String> removed = TestRowan.send(HttpRequest.newBuilder(URI.create(again.baseUrl() + "/api/v1/databases/" + db + "?keepSchemas=true"))
                    .DELETE(), "Cookie", cookie, "X-CSRF-Token", csrf);
            assertEquals(204, removed.statusCode(), removed.body());
        }
        assertEquals(List.of(), displayRows(data), "removing the database from Rowan removed its arrangements");
    }

    /** The rows of rowan_column_display, read straight from the internal SQLite database. */
    private static List<String> displayRows(Path data) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("rowan.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_oid, attnum FROM rowan_column_display ORDER BY 1, 2")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) out.add("wide " + rs.getInt(2));
            return out;
        }
    }
}
