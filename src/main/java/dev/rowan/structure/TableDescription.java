package dev.rowan.structure;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.rowan.catalog.Catalog;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.Constraint;
import dev.rowan.catalog.ForeignKey;
import dev.rowan.catalog.Reference;
import dev.rowan.catalog.Table;
import dev.rowan.internal.ColumnDisplayStore.ColumnDisplay;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A table as the API shows it (GET /tables/{table}, and the answer to every change of a table): its
 * columns in the order people arranged them, each with its remembered width, then its keys, foreign
 * keys and the foreign keys elsewhere that point at it. {@code canUpdate} and {@code canDelete} need a
 * primary key, because records are addressed by it.
 */
public record TableDescription(long oid, String schema, String name, String kind, String comment, Long estimatedRows,
                               List<String> primaryKey, List<DisplayedColumn> columns, List<Constraint> constraints,
                               List<ForeignKey> foreignKeys, List<Reference> referencedBy,
                               boolean canInsert, boolean canUpdate, boolean canDelete) {

    /** A column with the width people gave it in the grid (null: the grid's default). */
    public record DisplayedColumn(@JsonUnwrapped Column column, Integer width) {
    }

    static TableDescription of(Connection c, Table t, List<ColumnDisplay> display) throws SQLException {
        List<String> primaryKey = t.primaryKey().stream().map(Column::name).toList();
        boolean editable = !t.isView() && !primaryKey.isEmpty();
        return new TableDescription(t.oid(), t.schema(), t.name(), t.kind(), t.comment(), Catalog.estimatedRows(c, t.oid()),
                primaryKey, arrange(t.columns(), display), t.constraints(), t.foreignKeys(), Catalog.referencesTo(c, t.oid()),
                t.canInsert() && editable, t.canUpdate() && editable, t.canDelete() && editable);
    }

    /**
     * Columns with a remembered position first, by that position; then the others in their natural
     * (attnum) order. Arrangements of columns that no longer exist are ignored.
     */
    static List<DisplayedColumn> arrange(List<Column> columns, List<ColumnDisplay> display) {
        Map<Integer, ColumnDisplay> byAttnum = display.stream().collect(Collectors.toMap(ColumnDisplay::attnum, Function.identity()));
        Comparator<Column> order = Comparator.comparing((Column c) -> position(byAttnum, c), Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparingInt(Column::attnum);
        return columns.stream().sorted(order)
                .map(c -> new DisplayedColumn(c, byAttnum.containsKey(c.attnum()) ? byAttnum.get(c.attnum()).width() : null))
                .toList();
    }

    private static Integer position(Map<Integer, ColumnDisplay> byAttnum, Column c) {
        ColumnDisplay d = byAttnum.get(c.attnum());
        return d == null ? null : d.position();
    }
}
