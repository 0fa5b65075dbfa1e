package dev.rowan.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.Problem;
import dev.rowan.catalog.Column;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** One column of the sort order; {@code descending} puts NULLs first, ascending puts them last (PostgreSQL's defaults). */
record SortKey(Column column, boolean descending) {

    String spec() {
        return column.name() + ":" + (descending ? "desc" : "asc");
    }

    /**
     * The {@code order} parameter: {@code name:asc,id:desc}. The direction is what follows the last
     * colon and may be left out (ascending), so names may hold colons ({@code a:b:asc}); a name that
     * itself ends in ":asc" or ":desc" is written with its direction ({@code x:asc:asc}). Names that
     * hold commas, or start with "[", are sent in the JSON form {@code [["name","asc"],["id","desc"]]}.
     */
    static List<SortKey> parse(String param, TableInfo table) {
        if (param == null || param.isBlank()) return List.of();
        List<SortKey> keys = new ArrayList<>();
        if (param.stripLeading().startsWith("[")) {
            JsonNode list;
            try {
                list = JsonText.read(param);
            } catch (JsonProcessingException e) {
                throw invalid("The order is not valid JSON: " + e.getOriginalMessage() + ".");
            }
            if (!list.isArray()) throw invalid("The JSON form of the order is a list of [column, direction] pairs.");
            for (JsonNode item : list) {
                if (item.isTextual()) {
                    keys.add(new SortKey(table.requireColumn(item.textValue()), false));
                } else if (item.isArray() && item.size() >= 1 && item.size() <= 2 && item.get(0).isTextual()
                        && (item.size() == 1 || item.get(1).isTextual())) {
                    keys.add(new SortKey(table.requireColumn(item.get(0).textValue()), item.size() == 2 && descending(item.get(1).textValue())));
                } else {
                    throw invalid("Each entry of the JSON order is [\"column\", \"asc\" or \"desc\"], not " + item + ".");
                }
            }
        } else {
            for (String item : param.split(",", -1)) {
                if (item.isEmpty()) throw invalid("The order \"" + param + "\" has an empty entry.");
                int colon = item.lastIndexOf(':');
                String direction = colon < 0 ? "" : item.substring(colon + 1).toLowerCase(Locale.ROOT);
                if (direction.equals("asc") || direction.equals("desc")) {
                    keys.add(new SortKey(table.requireColumn(item.substring(0, colon)), direction.equals("desc")));
                } else {
                    keys.add(new SortKey(table.requireColumn(item), false));
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (SortKey k : keys) {
            if (!seen.add(k.column().name())) throw invalid("The order names \"" + k.column().name() + "\" twice.");
        }
        return keys;
    }

    /**
     * The order actually used: the requested keys, then the primary key's columns, so that rows with
     * equal values always come in the same order and paging neither repeats nor skips a row. A table
     * without a primary key is ordered by all its columns after the requested ones.
     */
    static List<SortKey> complete(List<SortKey> requested, TableInfo table) {
        List<SortKey> all = new ArrayList<>(requested);
        List<Column> tieBreakers = table.hasPrimaryKey() ? table.primaryKey() : table.columns();
        for (Column c : tieBreakers) {
            if (all.stream().noneMatch(k -> k.column().attnum() == c.attnum())) all.add(new SortKey(c, false));
        }
        return all;
    }

    private static boolean descending(String direction) {
        return switch (direction.toLowerCase(Locale.ROOT)) {
            case "asc" -> false;
            case "desc" -> true;
            default -> throw invalid("\"" + direction + "\" is not a sort direction; use asc or desc.");
        };
    }

    private static Problem invalid(String detail) {
        return new Problem(400, "invalid_order", "The sort order cannot be read", detail,
                "Write the order as name:asc,id:desc, or as JSON: [[\"name\",\"asc\"],[\"id\",\"desc\"]].");
    }
}
