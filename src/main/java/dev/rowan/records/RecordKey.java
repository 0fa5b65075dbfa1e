package dev.rowan.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.Problem;
import dev.rowan.catalog.Column;
import java.util.ArrayList;
import java.util.List;

/**
 * How a record is addressed: by its primary key's values in PostgreSQL's text form. With a
 * one-column key, {@code {pk}} is that text itself (URL-encoded in the path); with a key of several
 * columns, it is a JSON list of the texts in key order, e.g. {@code ["2024","A-7"]}.
 */
final class RecordKey {
    private RecordKey() {
    }

    /** The key of a path segment, as one text per key column. */
    static List<String> parse(String segment, TableInfo table) {
        List<Column> key = requireKey(table);
        if (key.size() == 1) {
            return List.of(segment);
        }
        JsonNode list;
        try {
            list = JsonText.read(segment);
        } catch (JsonProcessingException e) {
            throw invalid(table, "\"" + segment + "\" is not a JSON list.");
        }
        return fromJson(list, table);
    }

    /** A key given inside a JSON body: a string or number for a one-column key, a list for several. */
    static List<String> fromJson(JsonNode node, TableInfo table) {
        List<Column> key = requireKey(table);
        if (key.size() == 1) {
            String text = JsonText.scalar(node);
            if (text == null) throw invalid(table, node + " is not a key value.");
            return List.of(text);
        }
        if (node == null || !node.isArray() || node.size() != key.size()) {
            throw invalid(table, node + " is not a list of " + key.size() + " values.");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode part : node) {
            String text = JsonText.scalar(part);
            if (text == null) throw invalid(table, node + " holds " + part + ", which is not a key value.");
            out.add(text);
        }
        return out;
    }

    /** The condition that picks the record with this key. */
    static Filter filter(List<String> values, TableInfo table) {
        List<Filter> parts = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            parts.add(new Filter.KeyEquals(table.primaryKey().get(i), values.get(i)));
        }
        return Filter.all(parts);
    }

    static Problem notFound(TableInfo table, List<String> key) {
        return new Problem(404, "record_not_found", "No such record",
                "\"" + table.name() + "\" has no record with " + describe(table, key) + ".",
                "It may have been deleted or its key changed; reload the records.");
    }

    static String describe(TableInfo table, List<String> key) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) parts.add(table.primaryKey().get(i).name() + " = " + key.get(i));
        return String.join(", ", parts);
    }

    private static List<Column> requireKey(TableInfo table) {
        if (!table.hasPrimaryKey()) {
            throw new Problem(404, "record_not_found", "Records of this table have no address",
                    "\"" + table.name() + "\" has no primary key, so its records cannot be addressed one by one.",
                    "Add a primary key to the table to open, change or delete single records.");
        }
        return table.primaryKey();
    }

    private static Problem invalid(TableInfo table, String detail) {
        List<String> names = table.primaryKey().stream().map(Column::name).toList();
        return new Problem(400, "invalid_key", "The record key cannot be read", detail,
                "The key of \"" + table.name() + "\" has the columns " + names + "; address a record by a JSON list of their values in that order, "
                        + "e.g. " + JsonText.write(names.stream().map(n -> "…").toList()) + ".");
    }
}
