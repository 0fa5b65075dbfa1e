package dev.rowan.records;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.ForeignKey;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The records a foreign key may point at, for a record picker: without a search in key order (an
 * index walk however large the table), with one the records whose summary or key contains it, by summary.
 */
final class Candidates {
    private Candidates() {
    }

    static SqlFragment query(TableInfo referenced, ForeignKey fk, String search, int limit) {
        List<Column> keys = fk.referencedColumns().stream().map(referenced::requireColumn).toList();
        Column display = referenced.displayColumn();
        List<String> selected = new ArrayList<>();
        for (Column k : keys) selected.add(Conditions.column(k) + "::text");
        SqlFragment sql = SqlFragment.sql("SELECT " + String.join(", ", selected) + ", " + ForeignKeys.summaryExpression(referenced, fk)
                + " FROM " + referenced.sqlName() + " AS t");
        List<SortKey> order = new ArrayList<>();
        if (!search.isEmpty()) {
            List<Column> searched = new ArrayList<>(keys);
            if (display != null && !keys.contains(display)) {
                searched.add(0, display);
                order.add(new SortKey(display, false));
            }
            sql = sql.append(" WHERE ").append(Conditions.of(new Filter.Search(searched, search), referenced));
        }
        for (Column k : keys) {
            if (order.stream().noneMatch(o -> o.column().equals(k))) order.add(new SortKey(k, false));
        }
        return sql.append(" ORDER BY " + Conditions.orderBy(order, referenced) + " LIMIT ").append(SqlFragment.param((long) limit));
    }

    /** {@code [{key, summary, values}]}: the key as a record address, its summary, and the values to store in the foreign key's columns. */
    static void write(JsonGenerator g, ResultSet rs, ForeignKey fk) throws IOException, SQLException {
        int n = fk.columns().size();
        g.writeStartArray();
        while (rs.next()) {
            List<String> key = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) key.add(rs.getString(i));
            g.writeStartObject();
            if (n == 1) {
                g.writeStringField("key", key.get(0));
            } else {
                g.writeArrayFieldStart("key");
                for (String k : key) g.writeString(k);
                g.writeEndArray();
            }
            g.writeStringField("summary", ForeignKeys.shorten(rs.getString(n + 1)));
            g.writeObjectFieldStart("values");
            for (int i = 0; i < n; i++) g.writeStringField(fk.columns().get(i), key.get(i));
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
