package dev.rowan.records;

import dev.rowan.Problem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A read request, checked against the table: {@code limit}, {@code offset}, {@code order},
 * {@code filter}, {@code search} and {@code after}. Everything a request can get wrong is answered
 * here with a 400 naming the parameter, column or operator, before any SQL is built.
 */
record RecordQuery(int limit, long offset, List<SortKey> order, Filter where, String queryDigest, Cursor after) {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** {@code param} gives a query parameter's value, or null when it is absent. */
    static RecordQuery parse(Function<String, String> param, TableInfo table) {
        int limit = (int) number(param, "limit", DEFAULT_LIMIT, MAX_LIMIT);
        long offset = number(param, "offset", 0, Long.MAX_VALUE);
        List<SortKey> order = SortKey.complete(SortKey.parse(param.apply("order"), table), table);
        Filter where = where(param, table);
        String digest = digest(FilterParser.canonical(param.apply("filter")) + "\n" + search(param));
        String afterText = param.apply("after");
        Cursor after = null;
        if (afterText != null && !afterText.isEmpty()) {
            if (!table.hasPrimaryKey()) {
                throw new Problem(400, "keyset_unavailable", "Paging by cursor needs a primary key",
                        "\"" + table.name() + "\" has no primary key, so a row's position cannot be told apart from rows with the same values.",
                        "Page with offset instead.");
            }
            if (offset != 0) {
                throw new Problem(400, "invalid_parameter", "\"after\" and \"offset\" together",
                        "A page starts either after a cursor or at an offset, not both.", "Leave out offset when sending after.");
            }
            after = Cursor.decode(afterText);
            after.requireMatches(orderSpec(order), digest, order.size());
        }
        return new RecordQuery(limit, offset, order, where, digest, after);
    }

    /** The rows a request is about, without paging: the filter and the quick search together (null: all rows). */
    static Filter where(Function<String, String> param, TableInfo table) {
        List<Filter> parts = new ArrayList<>();
        Filter filter = FilterParser.parse(param.apply("filter"), table);
        if (filter != null) parts.add(filter);
        String search = search(param);
        if (!search.isEmpty()) parts.add(new Filter.Search(table.searchable(), search));
        return parts.isEmpty() ? null : Filter.all(parts);
    }

    /** The order as a cursor records it, e.g. {@code name:asc,id:asc}. */
    static String orderSpec(List<SortKey> order) {
        return order.stream().map(SortKey::spec).collect(Collectors.joining(","));
    }

    /** The quick search, stripped ("" without one); a NUL character, which no text can hold, is a 400. */
    static String search(Function<String, String> param) {
        String s = param.apply("search");
        if (s != null && Values.hasNul(s)) {
            throw new Problem(400, "invalid_parameter", "Invalid parameter \"search\"", "The search " + Values.NO_NUL + ".",
                    "Remove the NUL character from the search.");
        }
        return s == null ? "" : s.strip();
    }

    static long number(Function<String, String> param, String name, long defaultValue, long max) {
        String raw = param.apply(name);
        if (raw == null || raw.isEmpty()) return defaultValue;
        try {
            long value = Long.parseLong(raw);
            if (value >= 0 && value <= max) return value;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new Problem(400, "invalid_parameter", "Invalid parameter \"" + name + "\"",
                "\"" + name + "\" must be a whole number from 0 to " + max + ", not \"" + raw + "\".", null);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
