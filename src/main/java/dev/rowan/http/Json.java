package dev.rowan.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.Problem;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON in and out, and problem+json for everything that goes wrong. */
final class Json {
    /** Request attribute set once a problem document is the response, so later error pages leave it alone. */
    static final String PROBLEM_WRITTEN = "rowan.problemWritten";
    static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {
    }

    /** The request body as the given type; a body that is not JSON of that shape is a 400 problem. */
    static <T> T body(Context ctx, Class<T> type) {
        String text = ctx.body();
        if (text.isBlank()) {
            throw new Problem(400, "malformed_json", "The request body is empty", "This request needs a JSON body.", null);
        }
        try {
            T value = MAPPER.readValue(text, type);
            if (value == null) {
                throw new Problem(400, "malformed_json", "The request body is not a JSON object", "Send a JSON object.", null);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new Problem(400, "malformed_json", "The request body is not valid JSON",
                    "The body could not be read as JSON: " + e.getOriginalMessage(), "Send a JSON object with the fields this request takes.");
        }
    }

    static void write(Context ctx, int status, Object value) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void problem(Context ctx, Problem p) {
        p.headers().forEach(ctx::header);
        write(ctx, p.status(), document(p));
        ctx.contentType("application/problem+json");
        ctx.attribute(PROBLEM_WRITTEN, Boolean.TRUE);
    }

    /** The problem document's members, in the order people read them. */
    static Map<String, Object> document(Problem p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:rowan:problem:" + p.code());
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        body.put("code", p.code());
        if (p.hint() != null) {
            body.put("hint", p.hint());
        }
        p.extensions().forEach(body::putIfAbsent);
        return body;
    }
}
