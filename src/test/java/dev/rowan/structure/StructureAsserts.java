package dev.rowan.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.testing.DataApi;
import java.net.http.HttpResponse;
import java.util.List;

/** What the structure tests share: request bodies as JSON, the shape of a problem, and a table's columns as PostgreSQL sees them. */
final class StructureAsserts {
    private StructureAsserts() {
    }

    static String json(Object value) {
        try {
            return DataApi.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An application/problem+json answer with this status and code, and a detail for people. */
    static JsonNode assertProblem(int status, String code, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        JsonNode problem = DataApi.parse(r);
        assertEquals(code, problem.get("code").asText(), r.body());
        assertTrue(problem.hasNonNull("detail") && !problem.get("detail").asText().isBlank(), r.body());
        return problem;
    }

    /** Every column of a table as "name type [not null] [default …] [identity]", in attnum order, read from the catalog. */
    static List<String> columns(DataApi api, String table) {
        return List.of(api.scalar("SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)"
                + " || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
                + " || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')"
                + " || CASE a.attidentity WHEN 'd' THEN ' identity' ELSE '' END, ', ' ORDER BY a.attnum)"
                + " FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped", table).split(", "));
    }
}
