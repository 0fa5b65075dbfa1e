package dev.rowan.catalog;

import dev.rowan.Problem;
import dev.rowan.postgres.Identifiers;
import java.util.List;
import java.util.Optional;

/**
 * A table as the catalog describes it right now. Column names used in SQL come from here (and are
 * quoted by {@link dev.rowan.postgres.Identifiers}), never straight from a request.
 */
public record Table(long oid, String schema, String name, String kind, String comment, List<Column> columns,
                    List<Constraint> constraints, List<ForeignKey> foreignKeys,
                    boolean canInsert, boolean canUpdate, boolean canDelete) {

    /** {@code "schema"."table"}: the table as SQL names it. */
    public String sqlName() {
        return Identifiers.qualified(schema, name);
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public Optional<Column> column(int attnum) {
        return columns.stream().filter(c -> c.attnum() == attnum).findFirst();
    }

    /** The named column, or a 400 problem naming the column that does not exist. */
    public Column requireColumn(String columnName) {
        return column(columnName).orElseThrow(() -> new Problem(400, "unknown_column", "No such column",
                "The table \"" + name + "\" has no column \"" + columnName + "\".", "Column names are case-sensitive; reload the table to see its columns."));
    }

    /**
     * The primary key's columns in key order; empty when the table has none, or when the connected
     * role may not read one of its columns (the catalog leaves such columns out). Either way records
     * cannot be told apart, and the table is read-only in Rowan.
     */
    public List<Column> primaryKey() {
        return constraints.stream().filter(k -> k.type().equals("primary_key")).findFirst()
                .map(k -> k.attnums().stream().map(this::column).toList())
                .filter(key -> key.stream().allMatch(Optional::isPresent))
                .map(key -> key.stream().map(Optional::get).toList())
                .orElse(List.of());
    }

    public boolean isView() {
        return kind.equals("view") || kind.equals("materialized_view");
    }
}
