package dev.rowan.records;

import dev.rowan.catalog.Column;
import dev.rowan.catalog.ColumnKind;
import dev.rowan.catalog.ForeignKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a foreign-key value stands for: a short summary of the referenced record (its name, title or
 * the like), so a grid can show "Ursula K. Le Guin" where the column holds 17.
 */
final class ForeignKeys {
    /** Column names that usually say what a record is, best first. */
    private static final List<String> DISPLAY_NAMES = List.of("name", "title", "label", "display_name", "displayname",
            "full_name", "fullname", "username", "user_name", "login", "email", "code", "slug", "description");
    static final int SUMMARY_LENGTH = 80;

    private ForeignKeys() {
    }

    /**
     * A table's best column to show: one named like {@link #DISPLAY_NAMES}, else its
     * first text-like column; null when it has none (then the key itself is the summary).
     */
    static Column displayColumn(List<Column> columns) {
        for (String wanted : DISPLAY_NAMES) {
            for (Column c : columns) {
                if (c.name().toLowerCase(Locale.ROOT).equals(wanted)) return c;
            }
        }
        return columns.stream()
                .filter(c -> c.kind() == ColumnKind.TEXT || c.kind() == ColumnKind.EMAIL || c.kind() == ColumnKind.URI || c.kind() == ColumnKind.ENUM)
                .findFirst().orElse(null);
    }

    /**
     * SQL for the summary of a referenced row {@code t}, in text, a character longer than shown so
     * truncation can be told: the display column, or the referenced key where that is empty or missing.
     */
    static String summaryExpression(TableInfo referenced, ForeignKey fk) {
        List<String> keys = new ArrayList<>();
        for (String name : fk.referencedColumns()) keys.add(Conditions.column(referenced.requireColumn(name)) + "::text");
        String key = "pg_catalog.concat_ws(', ', " + String.join(", ", keys) + ")";
        Column display = referenced.displayColumn();
        String text = display == null ? key : "COALESCE(" + Conditions.column(display) + "::text, " + key + ")";
        return "pg_catalog.left(" + text + ", " + (SUMMARY_LENGTH + 1) + ")";
    }

    /** A summary cut to {@link #SUMMARY_LENGTH} characters, with an ellipsis when it was longer. */
    static String shorten(String summary) {
        if (summary == null || summary.codePointCount(0, summary.length()) <= SUMMARY_LENGTH) return summary;
        return summary.substring(0, summary.offsetByCodePoints(0, SUMMARY_LENGTH - 1)) + "…";
    }

    /** How a foreign-key value is written as a key: the text itself for one column, a JSON list of texts for several. */
    static String keyText(List<String> values) {
        return values.size() == 1 ? values.get(0) : JsonText.write(values);
    }

    /**
     * The summaries of the records that {@code values} (each the foreign key's column values in text
     * form, none null) refer to, by {@link #keyText}. One query for all the values of a page.
     */
    static Map<String, String> summaries(Connection c, ForeignKey fk, TableInfo referenced, Collection<List<String>> values) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        if (values.isEmpty()) return out;
        int n = fk.referencedColumns().size();
        List<String> keys = new ArrayList<>();
        List<String> matches = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Column target = referenced.requireColumn(fk.referencedColumns().get(i));
            keys.add("k.k" + (i + 1));
            matches.add(Conditions.column(target) + " = CAST(k.k" + (i + 1) + " AS " + referenced.details(target).castType() + ")");
        }
        SqlFragment sql = SqlFragment.sql("SELECT " + String.join(", ", keys) + ", " + summaryExpression(referenced, fk) + " FROM ")
                .append(QueryBuilder.textRows(values, n))
                .append(" JOIN " + referenced.sqlName() + " AS t ON " + String.join(" AND ", matches));
        try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= n; i++) key.add(rs.getString(i));
                out.put(keyText(key), shorten(rs.getString(n + 1)));
            }
        }
        return out;
    }
}
