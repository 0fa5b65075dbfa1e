package dev.rowan.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rowan.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * "After this row", for keyset paging: base64url of JSON holding the order the page was read in, a
 * digest of its filter and search, and the last row's sort-key values in PostgreSQL's text form
 * (null for NULL). Opaque to clients; it only ever carries values that Rowan itself read, and they
 * reach SQL as bound parameters like any other value.
 */
record Cursor(String order, String query, List<String> values) {

    String encode() {
        ObjectNode json = JsonText.MAPPER.createObjectNode();
        json.put("o", order);
        json.put("q", query);
        ArrayNode v = json.putArray("v");
        values.forEach(v::add);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text) {
        try {
            JsonNode json = JsonText.read(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
            JsonNode o = json.get("o");
            JsonNode q = json.get("q");
            JsonNode v = json.get("v");
            if (o != null && o.isTextual() && q != null && q.isTextual() && v != null && v.isArray()) {
                List<String> values = new ArrayList<>();
                for (JsonNode value : v) {
                    if (!value.isTextual() && !value.isNull()) throw new IllegalArgumentException("not a value");
                    values.add(value.isNull() ? null : value.textValue());
                }
                return new Cursor(o.textValue(), q.textValue(), Collections.unmodifiableList(values));
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            // answered below
        }
        throw new Problem(400, "invalid_cursor", "The cursor cannot be read",
                "\"after\" must be the \"next\" value of an earlier page, unchanged.", "Start again from the first page.");
    }

    /** The cursor must come from a page read in the same order with the same filter and search. */
    void requireMatches(String expectedOrder, String expectedQuery, int keys) {
        if (!order.equals(expectedOrder) || !query.equals(expectedQuery) || values.size() != keys) {
            throw new Problem(400, "cursor_mismatch", "The cursor belongs to another order or filter",
                    "\"after\" comes from a page read with " + (order.equals(expectedOrder) ? "another filter or search" : "another order")
                            + " than this request.",
                    "Send the same order, filter and search as the page that gave the cursor, or start again from the first page.");
        }
    }
}
