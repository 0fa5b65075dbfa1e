package dev.rowan.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.testing.BrowserScript;
import dev.rowan.testing.TestRowan;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole journey of issue 5 in headless Chromium (e2e/journey.mjs) against a real Rowan with the
 * built-in PostgreSQL: setup → create a database → import a CSV → sort and filter → edit a cell →
 * paste a block → change a column's type (the one failing value shown, fixed, then changed) → open a
 * record → remove the database. After each step that changes data the script stops at a checkpoint
 * and this test looks at the database with SQL before the browser goes on. Screenshots of every page
 * go to target/screenshots/journey/.
 */
public class BrowserJourneyTest {
    private static final Path PROJECT = Path.of(System.getProperty("rowan.projectDir", "."));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USERNAME = "admin";
    private static final String PASSWORD = "correct horse battery";
    private static final String DATABASE = "Journey";

    /**
     * The imported file: "age" holds one value that is not a number ("thirty"), so it is imported as text.
     * LoadBalancerIT imports the same file through two instances.
     */
    public static final String CSV = """
            name,age,email,joined,score
            Ada,36,ada@example.org,2024-03-05,10
            Bob,thirty,bob@example.org,2023-11-20,7
            Cleo,29,cleo@example.net,2022-01-15,12
            Dan,41,dan@example.org,2021-06-30,3
            Eve,25,eve@example.net,2020-09-09,8
            Finn,33,finn@example.org,2019-12-31,5
            """;

    @TempDir
    Path tmp;

    @Test
    void aPersonGoesFromSetupToRemovingADatabaseInABrowser() throws Exception {
        Path shots = PROJECT.resolve("target/screenshots/journey");
        Files.createDirectories(shots);
        Path csv = tmp.resolve("people.csv");
        Files.writeString(csv, CSV);

        try (TestRowan rowan = TestRowan.start(tmp.resolve("data"))) {
            long[] databaseId = {0};
            String[] databaseName = {null};
            Map<String, BrowserScript.Check> checks = new LinkedHashMap<>();
            checks.put("setup", details -> {
                HttpResponse<String> login = rowan.post("/api/v1/auth/login",
                        "{\"username\":\"" + USERNAME + "\",\"password\":\"" + PASSWORD + "\"}");
                assertEquals(200, login.statusCode(), "the administrator created in the browser signs in: " + login.body());
            });
            checks.put("created", details -> {
                JsonNode db = database(rowan);
                assertEquals("ready", db.path("status").asText(), db.toString());
                databaseId[0] = db.path("id").asLong();
                databaseName[0] = rowan.databaseName(databaseId[0]);
                try (Connection c = rowan.sql(databaseId[0], null)) {
                    assertEquals(List.of("rowan", "rowan_types"), strings(c,
                            "SELECT nspname FROM pg_namespace WHERE nspname IN ('rowan', 'rowan_types') ORDER BY 1"));
                }
            });
            checks.put("imported", details -> {
                try (Connection c = rowan.sql(databaseId[0], null)) {
                    assertEquals(List.of("Ada|36|ada@example.org|2024-03-05|10", "Bob|thirty|bob@example.org|2023-11-20|7",
                                    "Cleo|29|cleo@example.net|2022-01-15|12", "Dan|41|dan@example.org|2021-06-30|3",
                                    "Eve|25|eve@example.net|2020-09-09|8", "Finn|33|finn@example.org|2019-12-31|5"),
                            strings(c, "SELECT concat_ws('|', name, age, email, joined, score) FROM public.people ORDER BY name"));
                    assertEquals("text", columnType(c, "age"), "age was imported as text (it has a value that is not a number)");
                    assertEquals("date", columnType(c, "joined"));
                }
            });
            checks.put("edited", details -> {
                try (Connection c = rowan.sql(databaseId[0], null)) {
                    assertEquals(List.of("cleo@example.com"), strings(c, "SELECT email::text FROM public.people WHERE name = 'Cleo'"));
                }
            });
            checks.put("pasted", details -> {
                try (Connection c = rowan.sql(databaseId[0], null)) {
                    assertEquals(List.of("Cleo|2022-01-15|12", "Dan|2021-07-01|100", "Eve|2020-10-10|200", "Finn|2019-12-31|5"),
                            strings(c, "SELECT concat_ws('|', name, joined, score) FROM public.people WHERE name >= 'C' ORDER BY name"),
                            "the pasted 2×2 block (joined, score of Dan and Eve) and nothing around it");
                }
            });
            checks.put("type-refused", details -> {
                try (Connection c = rowan.sql(databaseId[0], null)) {
                    assertEquals("text", columnType(c, "age"), "nothing changed while one value cannot be converted");
                }
            });
            checks.put("type-changed", details -> {
                try (Connection c = rowan.sql(databaseId[0], null)) {
                    assertEquals("integer", columnType(c, "age"));
                    assertEquals(List.of("Ada|36", "Bob|30", "Cleo|29", "Dan|41", "Eve|25", "Finn|33"),
                            strings(c, "SELECT concat_ws('|', name, age) FROM public.people ORDER BY name"));
                }
            });
            checks.put("removed", details -> {
                HttpResponse<String> list = rowan.get("/api/v1/databases", "Cookie", cookie(rowan));
                for (JsonNode db : JSON.readTree(list.body())) {
                    assertTrue(!db.path("name").asText().equals(DATABASE), "Rowan no longer lists the database: " + list.body());
                }
                // The built-in server stops with its last database; a new one starts it again, and through
                // its address the removed database (still on the server, data kept) is checked.
                long keeper = createBuiltin(rowan, "Keeper");
                try (Connection c = rowan.sql(keeper, databaseName[0])) {
                    assertEquals(List.of(), strings(c, "SELECT nspname FROM pg_namespace WHERE nspname IN ('rowan', 'rowan_types')"),
                            "Rowan's schemas are gone from the removed database");
                    assertEquals(List.of("6"), strings(c, "SELECT count(*) FROM public.people"), "the data stays");
                }
            });

            String output = BrowserScript.run("journey.mjs",
                    List.of(rowan.baseUrl(), rowan.setupLink(), USERNAME, PASSWORD, DATABASE, csv.toString(), shots.toString()),
                    checks, 420);
            assertTrue(output.contains("ok - removing the database"), output);
        }
    }

    private static JsonNode database(TestRowan rowan) throws Exception {
        HttpResponse<String> list = rowan.get("/api/v1/databases", "Cookie", cookie(rowan));
        assertEquals(200, list.statusCode(), list.body());
        for (JsonNode db : JSON.readTree(list.body())) {
            if (db.path("name").asText().equals(DATABASE)) return db;
        }
        throw new AssertionError("no database named " + DATABASE + " in " + list.body());
    }

    private static String cookie(TestRowan rowan) {
        HttpResponse<String> login = rowan.post("/api/v1/auth/login", "{\"username\":\"" + USERNAME + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(200, login.statusCode(), login.body());
        return "rowan_session=" + TestRowan.sessionCookie(login);
    }

    private static long createBuiltin(TestRowan rowan, String name) throws Exception {
        HttpResponse<String> login = rowan.post("/api/v1/auth/login", "{\"username\":\"" + USERNAME + "\",\"password\":\"" + PASSWORD + "\"}");
        String csrf = JSON.readTree(login.body()).path("csrfToken").asText();
        HttpResponse<String> created = rowan.post("/api/v1/databases", "{\"name\":\"" + name + "\",\"builtin\":true}",
                "Cookie", "rowan_session=" + TestRowan.sessionCookie(login), "X-CSRF-Token", csrf);
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body()).path("id").asLong();
    }

    private static String columnType(Connection c, String column) throws SQLException {
        List<String> types = strings(c, "SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = 'people' AND column_name = ?", column);
        assertEquals(1, types.size(), "column " + column + " exists once");
        return types.get(0);
    }

    private static List<String> strings(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) s.setString(i + 1, params[i]);
            try (ResultSet rs = s.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (rs.next()) values.add(rs.getString(1));
                return values;
            }
        }
    }
}
