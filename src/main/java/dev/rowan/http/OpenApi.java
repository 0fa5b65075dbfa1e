package dev.rowan.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document at /api/v1/openapi.json, assembled once from {@code openapi/base.json} and one
 * fragment per area of the API, each written beside the routes it describes. Assembled when first
 * asked for, not at start-up, which it would slow for a document few requests want. An operation or
 * component described twice is a build mistake that OpenApiTest catches, instead of one description
 * silently replacing another.
 */
final class OpenApi {
    static final List<String> FRAGMENTS = List.of("core", "catalog", "structure", "records", "imports");

    private OpenApi() {
    }

    private static final class Holder {
        static final String DOCUMENT = document();
    }

    /** The document, assembled once (on the first request for it). */
    static String cached() {
        return Holder.DOCUMENT;
    }

    static String document() {
        ObjectNode doc = (ObjectNode) read("base");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode components = (ObjectNode) doc.get("components");
        for (String name : FRAGMENTS) {
            JsonNode fragment = read(name);
            for (Iterator<Map.Entry<String, JsonNode>> it = fragment.path("paths").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                // One path may have its GET in one area and its POST in another: merged per operation.
                ObjectNode target = paths.has(path.getKey()) ? (ObjectNode) paths.get(path.getKey()) : paths.putObject(path.getKey());
                mergeInto(target, path.getValue(), name, "operation of " + path.getKey() + ":");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = fragment.path("components").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> section = it.next();
                ObjectNode target = components.has(section.getKey()) ? (ObjectNode) components.get(section.getKey())
                        : components.putObject(section.getKey());
                mergeInto(target, section.getValue(), name, section.getKey());
            }
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mergeInto(ObjectNode target, JsonNode entries, String fragment, String what) {
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (target.has(e.getKey())) {
                throw new IllegalStateException("openapi/" + fragment + ".json describes the " + what + " " + e.getKey() + " again");
            }
            target.set(e.getKey(), e.getValue());
        }
    }

    private static JsonNode read(String name) {
        try (InputStream in = OpenApi.class.getResourceAsStream("/openapi/" + name + ".json")) {
            if (in == null) throw new IllegalStateException("openapi/" + name + ".json is missing from the build");
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
