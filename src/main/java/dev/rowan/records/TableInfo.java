package dev.rowan.records;

import dev.rowan.Problem;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.Table;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table as the records API needs it: the catalog's {@link Table}, plus for each column the type to
 * cast typed-in text to, whether PostgreSQL can sort it, and whether its text form can be edited;
 * and, worked out once per read of the catalog, its primary key and the column that summarizes a
 * record ({@link ForeignKeys#displayColumn}, null when none).
 * {@code fingerprint} tells whether the catalog changed since this was read (see {@link TableCache}).
 */
record TableInfo(Table table, Map<Integer, Details> details, List<Column> primaryKey, Column displayColumn, String fingerprint) {

    /**
     * {@code castType}: the column's type without type modifier, schema-qualified as PostgreSQL names
     * it (e.g. {@code pg_catalog.bpchar}, {@code public.mood}), so that a cast never truncates or pads
     * the way {@code CAST(x AS character varying(3))} would: storing it applies the column's own
     * length and precision and fails loudly. {@code elementType}: the same for an array's elements
     * (null for other types). {@code orderable}: the type has a default b-tree ordering; other types
     * (point, xml, json) sort by their text form. {@code editable}: the type reads its own text form
     * back (a few internal types have no input function at all).
     */
    record Details(String castType, String elementType, boolean orderable, boolean editable) {
    }

    List<Column> columns() {
        return table.columns();
    }

    Details details(Column c) {
        return details.get(c.attnum());
    }

    String sqlName() {
        return table.sqlName();
    }

    String name() {
        return table.name();
    }

    long oid() {
        return table.oid();
    }

    boolean hasPrimaryKey() {
        return !primaryKey.isEmpty();
    }

    Optional<Column> column(String name) {
        return table.column(name);
    }

    Column requireColumn(String name) {
        return table.requireColumn(name);
    }

    /** Text-like columns that quick search looks in. */
    List<Column> searchable() {
        return columns().stream().filter(c -> switch (c.kind()) {
            case TEXT, EMAIL, URI, ENUM, UUID -> true;
            default -> false;
        }).toList();
    }

    /**
     * Rows are written only where one row can be told from another: a table with a primary key.
     * Views, and tables without a primary key, are read-only in Rowan.
     */
    void requireWritable() {
        if (table.isView()) {
            throw new Problem(409, "read_only_table", "This is a view", "\"" + table.name() + "\" is a "
                    + table.kind().replace('_', ' ') + "; Rowan shows its rows but does not change them.",
                    "Change the rows in the tables the view reads from.");
        }
        if (primaryKey.isEmpty()) {
            throw new Problem(409, "read_only_table", "The table has no primary key",
                    "\"" + table.name() + "\" has no primary key, so Rowan cannot tell one record from another to change it.",
                    "Add a primary key to the table (for example an identity column) to edit its records.");
        }
    }
}
