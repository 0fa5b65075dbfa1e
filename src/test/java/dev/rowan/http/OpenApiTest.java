package dev.rowan.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.testing.TestRowan;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document describes exactly the API Rowan serves, and its references resolve. */
class OpenApiTest {
    @TempDir
    static Path tmp;
    static TestRowan rowan;
    static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        rowan = TestRowan.start(tmp.resolve("data"));
        HttpResponse<String> r = rowan.get("/api/v1/openapi.json");
        assertEquals(200, r.statusCode(), "served without signing in");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        doc = new ObjectMapper().readTree(r.body());
    }

    @AfterAll
    static void stop() {
        rowan.close();
    }

    private static TreeSet<String> served() {
        TreeSet<String> out = new TreeSet<>();
        for (String route : rowan.routes()) {
            String[] parts = route.split(" ", 2);
            String path = parts[1];
            if ((path.startsWith("/api/") || path.startsWith("/health/")) && !parts[0].equals("HEAD") && !parts[0].equals("OPTIONS")) {
                out.add(parts[0].toLowerCase(Locale.ROOT) + " " + path);
            }
        }
        return out;
    }

    private static TreeSet<String> documented() {
        TreeSet<String> out = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
                String m = methods.next();
                if (List.of("get", "post", "put", "patch", "delete").contains(m)) out.add(m + " " + p.getKey());
            }
        }
        return out;
    }

    @Test
    void everyServedApiRouteIsDescribedAndNothingElse() {
        TreeSet<String> missing = new TreeSet<>(served());
        missing.removeAll(documented());
        TreeSet<String> stale = new TreeSet<>(documented());
        stale.removeAll(served());
        assertEquals(new TreeSet<>(), missing, "served but not described");
        assertEquals(new TreeSet<>(), stale, "described but not served");
        assertTrue(served().size() > 15, served().toString());
    }

    @Test
    void everyReferenceResolvesAndEveryOperationSaysWhatItAnswers() {
        List<String> broken = new ArrayList<>();
        walk(doc, "", broken);
        assertEquals(List.of(), broken);
        for (String op : documented()) {
            String[] parts = op.split(" ", 2);
            JsonNode operation = doc.get("paths").get(parts[1]).get(parts[0]);
            assertTrue(operation.hasNonNull("summary"), op + " has a summary");
            assertTrue(operation.get("responses").size() > 0, op + " lists its answers");
        }
        assertEquals("3.1.0", doc.get("openapi").asText());
    }

    private static void walk(JsonNode node, String at, List<String> broken) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && doc.at(ref.asText().substring(1)).isMissingNode()) broken.add(at + " -> " + ref.asText());
            node.fields().forEachRemaining(e -> walk(e.getValue(), at + "/" + e.getKey(), broken));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(node.get(i), at + "/" + i, broken);
        }
    }
}
