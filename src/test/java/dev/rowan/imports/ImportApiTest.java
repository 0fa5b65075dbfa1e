package dev.rowan.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports through the API into a real PostgreSQL: every odd file with its exact outcome, checked in the database with SQL. */
class ImportApiTest {
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

    static HttpResponse<String> upload(String path, byte[] file, String... fields) {
        Multipart m = Multipart.of(fields);
        if (file != null) m.file("data.csv", file);
        return api.send(m.post(api.uri(api.path(path))), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Starts an import and waits for it to end; the job's final state. */
    static JsonNode load(byte[] file, String... fields) {
        HttpResponse<String> r = upload("/imports", file, fields);
        assertEquals(202, r.statusCode(), r.body());
        return waitFor(DataApi.parse(r).get("id").asLong());
    }

    static JsonNode waitFor(long id) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonNode job = DataApi.parse(api.get(api.path("/imports/" + id)));
            if (!job.get("state").asText().equals("running")) return job;
            if (System.currentTimeMillis() > deadline) throw new AssertionError("import still running: " + job);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aFileWithOnlyFileSchemaAndTableBecomesANewTableWithInferredTypes() {
        JsonNode job = load(utf8("name,age,joined,active\nAlice,30,2024-03-05,yes\nBob,41,March 5 2024,no\n"),
                "schema", "public", "table", "people");
        assertEquals("done", job.get("state").asText(), job.toString());
        assertEquals(2, job.get("rowsDone").asLong());
        assertEquals(api.oid("public.people"), job.get("tableOid").asLong());
        assertEquals("Alice|30|2024-03-05|t;Bob|41|2024-03-05|f",
                api.scalar("SELECT string_agg(concat_ws('|', name, age, joined, active), ';' ORDER BY id) FROM people"));
        assertEquals("id bigint,name text,age integer,joined date,active boolean", api.scalar("SELECT string_agg(attname || ' ' || "
                + "format_type(atttypid, atttypmod), ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'people'::regclass AND attnum > 0"));
        assertTrue(job.get("errors").isEmpty());
    }
}
