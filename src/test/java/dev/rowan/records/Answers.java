package dev.rowan.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Checks on the records API's answers shared by its tests. */
final class Answers {
    private Answers() {
    }

    /** A query parameter value, percent-encoded. */
    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The JSON of a 200 answer. */
    static JsonNode ok(HttpResponse<String> r) {
        return status(r, 200);
    }

    static JsonNode status(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        return DataApi.parse(r);
    }

    /** The problem document of an error answer, checked for its status, code and a detail for people. */
    static JsonNode problem(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        JsonNode p = DataApi.parse(r);
        assertEquals(code, p.get("code").asText(), r.body());
        assertFalse(p.get("detail").asText().isBlank(), r.body());
        return p;
    }

    /** The "id" of each record of a page. */
    static List<Integer> ids(JsonNode page) {
        List<Integer> out = new ArrayList<>();
        page.get("results").forEach(r -> out.add(r.get("id").asInt()));
        return out;
    }
}
