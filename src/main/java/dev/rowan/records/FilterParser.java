package dev.rowan.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.Problem;
import dev.rowan.catalog.Column;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the {@code filter} query parameter: {@code {"and": [...]}}, {@code {"or": [...]}},
 * {@code {"not": {...}}} and leaves {@code {"column": "name", "op": "eq", "value": ...}}, checked
 * against the table: every column must exist and every operator must apply to its column's kind.
 */
final class FilterParser {
    /** More conditions than a person builds by hand; it keeps a crafted request from making PostgreSQL plan a huge tree. */
    static final int MAX_NODES = 100;

    private final TableInfo table;
    private int nodes;

    private FilterParser(TableInfo table) {
        this.table = table;
    }

    /** The filter, or null when {@code text} is null or blank. */
    static Filter parse(String text, TableInfo table) {
        if (text == null || text.isBlank()) return null;
        JsonNode root;
        try {
            root = JsonText.read(text);
        } catch (JsonProcessingException e) {
            throw invalid("The filter is not valid JSON: " + e.getOriginalMessage() + ".");
        }
        return new FilterParser(table).node(root);
    }

    /** The filter's canonical JSON (for telling whether a cursor belongs to it), or "" without a filter. */
    static String canonical(String text) {
        if (text == null || text.isBlank()) return "";
        try {
            return JsonText.read(text).toString();
        } catch (JsonProcessingException e) {
            throw invalid("The filter is not valid JSON: " + e.getOriginalMessage() + ".");
        }
    }

    private Filter node(JsonNode n) {
        if (++nodes > MAX_NODES) {
            throw new Problem(400, "filter_too_complex", "The filter is too large",
                    "A filter may hold at most " + MAX_NODES + " conditions and groups.", "Simplify the filter.");
        }
        if (n == null || !n.isObject()) {
            throw invalid("Each part of the filter must be a JSON object, not " + (n == null ? "nothing" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)) + ".");
        }
        if (n.has("and") || n.has("or")) {
            String key = n.has("and") ? "and" : "or";
            onlyKeys(n, Set.of(key));
            JsonNode list = n.get(key);
            if (!list.isArray()) throw invalid("\"" + key + "\" takes a list of conditions.");
            List<Filter> parts = new ArrayList<>();
            for (JsonNode part : list) parts.add(node(part));
            return key.equals("and") ? new Filter.And(parts) : new Filter.Or(parts);
        }
        if (n.has("not")) {
            onlyKeys(n, Set.of("not"));
            return new Filter.Not(node(n.get("not")));
        }
        return leaf(n);
    }

    private Filter leaf(JsonNode n) {
        onlyKeys(n, Set.of("column", "op", "value"));
        JsonNode columnNode = n.get("column");
        JsonNode opNode = n.get("op");
        if (columnNode == null || !columnNode.isTextual() || opNode == null || !opNode.isTextual()) {
            throw invalid("A condition names a \"column\" and an \"op\" (operator), e.g. {\"column\": \"name\", \"op\": \"eq\", \"value\": \"Ada\"}; "
                    + "groups are {\"and\": [...]}, {\"or\": [...]} and {\"not\": {...}}.");
        }
        Column column = table.requireColumn(columnNode.textValue());
        Set<Operator> allowed = Operator.forKind(column.kind());
        Operator op = Operator.byId(opNode.textValue()).orElseThrow(() -> new Problem(400, "unknown_operator", "Unknown filter operator",
                "\"" + opNode.textValue() + "\" is not a filter operator.", "Operators for \"" + column.name() + "\": " + list(allowed) + "."));
        if (!allowed.contains(op) || (op == Operator.HAS && table.details(column).elementType() == null)) {
            throw new Problem(400, "operator_not_applicable", "The operator does not apply to this column",
                    "\"" + op.id() + "\" does not apply to \"" + column.name() + "\", a column of kind " + column.kind().id() + ".",
                    "Operators for \"" + column.name() + "\": " + list(allowed) + ".");
        }
        JsonNode valueNode = n.get("value");
        if (op.operand() == Operator.Operand.NONE) {
            if (valueNode != null && !valueNode.isNull()) {
                throw invalid("\"" + op.id() + "\" takes no value.");
            }
            return new Filter.Leaf(column, op, null);
        }
        String value = Values.text(column, valueNode);
        if (value == null) {
            throw invalid("\"" + op.id() + "\" on \"" + column.name() + "\" needs a \"value\" (a string, number or true/false)"
                    + (valueNode != null && valueNode.isNull() ? "; to find empty cells use \"is_null\"." : "."));
        }
        if (Values.hasNul(value)) {
            throw new Problem(400, "invalid_filter_value", "A filter value does not fit its column",
                    "The value for \"" + column.name() + "\" cannot be compared: " + Values.NO_NUL + ".", "Remove the NUL character from the value.",
                    Map.of(), Map.of("column", column.name(), "value", value));
        }
        return new Filter.Leaf(column, op, value);
    }

    private static void onlyKeys(JsonNode n, Set<String> keys) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!keys.contains(field)) {
                throw invalid("Unexpected \"" + field + "\" in the filter part " + n + "; expected " + String.join(", ", keys) + ".");
            }
        }
    }

    private static String list(Set<Operator> ops) {
        return ops.stream().map(Operator::id).collect(Collectors.joining(", "));
    }

    private static Problem invalid(String detail) {
        return new Problem(400, "invalid_filter", "The filter cannot be read", detail,
                "See the filter format in the records API documentation.");
    }
}
