package dev.rowan.structure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's JSON object, read field by field. A change request must tell "not given" (leave as is)
 * from "null" (remove), which a plain record cannot; a field of the wrong JSON type is a 400 problem
 * naming it.
 */
final class Body {
    private final JsonNode node;
    private final String where;

    private Body(JsonNode node, String where) {
        this.node = node;
        this.where = where;
    }

    static Body of(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new Problem(400, "malformed_json", "The request body is not a JSON object", "Send a JSON object.", null);
        }
        return new Body(node, "");
    }

    boolean has(String field) {
        return node.has(field);
    }

    /** Given and JSON null. */
    boolean isNull(String field) {
        return node.has(field) && node.get(field).isNull();
    }

    JsonNode raw(String field) {
        return node.get(field);
    }

    String string(String field) {
        String value = optionalString(field);
        if (value == null) {
            throw invalid(field, "is required");
        }
        return value;
    }

    /** The string, or null when the field is missing or null. */
    String optionalString(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw invalid(field, "must be a string");
        return v.asText();
    }

    Boolean optionalBoolean(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw invalid(field, "must be true or false");
        return v.asBoolean();
    }

    Integer optionalInt(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw invalid(field, "must be a whole number");
        return v.asInt();
    }

    Long optionalLong(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw invalid(field, "must be a whole number");
        return v.asLong();
    }

    /** The elements of an array field as bodies (each must be an object); empty when the field is missing. */
    List<Body> objects(String field) {
        List<Body> out = new ArrayList<>();
        for (JsonNode element : array(field)) {
            if (!element.isObject()) throw invalid(field, "must hold JSON objects");
            out.add(new Body(element, where + field + "[" + out.size() + "]."));
        }
        return out;
    }

    /** The elements of an array field; empty when the field is missing or null. */
    List<JsonNode> array(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw invalid(field, "must be an array");
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    Problem invalid(String field, String what) {
        return new Problem(400, "invalid_field", "Invalid field \"" + where + field + "\"", "\"" + where + field + "\" " + what + ".",
                "See the API documentation for the fields this request takes.");
    }
}
