package dev.rowan.structure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.Problem;
import dev.rowan.catalog.Catalog;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.ColumnType;
import dev.rowan.catalog.ForeignKey;
import dev.rowan.catalog.Table;
import dev.rowan.internal.ColumnDisplayStore;
import dev.rowan.internal.ColumnDisplayStore.ColumnDisplay;
import dev.rowan.userdb.UserDatabases;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Changes to what a connected database holds (schemas, tables, columns, constraints, column types)
 * and how people arranged a table's columns. Each call takes one pooled connection; each change is
 * one transaction in the user database, and the answer is read back from PostgreSQL's catalog after
 * it, so it shows what PostgreSQL really did.
 */
public final class StructureService {
    /** Column widths people may set, in CSS pixels: narrower is unusable, wider than any screen is a mistake. */
    static final int MIN_WIDTH = 20;
    static final int MAX_WIDTH = 2000;
    static final int MAX_POSITION = 100_000;

    private final UserDatabases databases;
    private final ColumnDisplayStore display;

    public StructureService(UserDatabases databases, ColumnDisplayStore display) {
        this.databases = databases;
        this.display = display;
    }

    public TableDescription describe(long db, long table) {
        return databases.withConnection(db, c -> TableDescription.of(c, Catalog.table(c, table), display.forTable(db, table)));
    }

    public Catalog.Schema createSchema(long db, JsonNode body) {
        Body b = Body.of(body);
        return databases.withConnection(db, c -> Schemas.find(c, Schemas.create(c, b)));
    }

    public Catalog.Schema updateSchema(long db, long schema, JsonNode body) {
        Body b = Body.of(body);
        return databases.withConnection(db, c -> {
            Schemas.update(c, Schemas.find(c, schema), b);
            return Schemas.find(c, schema);
        });
    }

    public void dropSchema(long db, long schema, boolean cascade) {
        List<Long> dropped = databases.withConnection(db, c -> Schemas.drop(c, Schemas.find(c, schema), cascade));
        dropped.forEach(table -> display.forgetTable(db, table));
    }

    public TableDescription createTable(long db, JsonNode body) {
        Body b = Body.of(body);
        return databases.withConnection(db, c -> TableDescription.of(c, Catalog.table(c, Tables.create(c, b)), List.of()));
    }

    public TableDescription updateTable(long db, long table, JsonNode body) {
        Body b = Body.of(body);
        return databases.withConnection(db, c -> {
            Tables.update(c, Catalog.table(c, table), b);
            return TableDescription.of(c, Catalog.table(c, table), display.forTable(db, table));
        });
    }

    public void dropTable(long db, long table, boolean cascade) {
        databases.withConnection(db, c -> {
            Tables.drop(c, Catalog.table(c, table), cascade);
            return null;
        });
        display.forgetTable(db, table);
    }

    public TableDescription.DisplayedColumn addColumn(long db, long table, JsonNode body) {
        ColumnSpec spec = ColumnSpec.from(Body.of(body));
        return databases.withConnection(db, c -> {
            int attnum = Columns.add(c, Catalog.table(c, table), spec);
            return displayed(db, Catalog.table(c, table), attnum);
        });
    }

    public TableDescription.DisplayedColumn updateColumn(long db, long table, int attnum, JsonNode body) {
        Body b = Body.of(body);
        return databases.withConnection(db, c -> {
            Table t = Catalog.table(c, table);
            Columns.update(c, t, column(t, attnum), b);
            return displayed(db, Catalog.table(c, table), attnum);
        });
    }

    public void dropColumn(long db, long table, int attnum, boolean cascade) {
        databases.withConnection(db, c -> {
            Table t = Catalog.table(c, table);
            Columns.drop(c, t, column(t, attnum), cascade);
            return null;
        });
        display.forgetColumn(db, table, attnum);
    }

    public TypeChanges.Check checkType(long db, long table, int attnum, JsonNode body) {
        Body b = Body.of(body);
        ColumnType type = ColumnType.byId(b.string("type"));
        return databases.withConnection(db, c -> {
            Table t = Catalog.table(c, table);
            return TypeChanges.check(c, t, column(t, attnum), type);
        });
    }

    public ForeignKey addForeignKey(long db, long table, JsonNode body) {
        Body b = Body.of(body);
        return databases.withConnection(db, c -> {
            long oid = Constraints.addForeignKey(c, Catalog.table(c, table), b);
            return Catalog.table(c, table).foreignKeys().stream().filter(k -> k.oid() == oid).findFirst().orElseThrow();
        });
    }

    public void dropConstraint(long db, long table, long constraint, boolean cascade) {
        databases.withConnection(db, c -> {
            Constraints.drop(c, Catalog.table(c, table), constraint, cascade);
            return null;
        });
    }

    /**
     * Replaces how a table's columns are arranged: {@code {columns: [{column: attnum, position?, width?}]}}.
     * Columns not listed go back to their natural place after the positioned ones, at the default width.
     */
    public TableDescription arrange(long db, long table, JsonNode body) {
        Body b = Body.of(body);
        return databases.withConnection(db, c -> {
            Table t = Catalog.table(c, table);
            List<ColumnDisplay> rows = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            for (Body entry : b.objects("columns")) {
                Integer attnum = entry.optionalInt("column");
                if (attnum == null) throw entry.invalid("column", "is required (the column's attnum)");
                column(t, attnum, 422);
                if (!seen.add(attnum)) {
                    throw new Problem(422, "duplicate_column", "A column is listed twice", "Column " + attnum + " appears twice.", null);
                }
                Integer position = entry.optionalInt("position");
                Integer width = entry.optionalInt("width");
                if (position != null && (position < 0 || position > MAX_POSITION)) {
                    throw entry.invalid("position", "must be from 0 to " + MAX_POSITION);
                }
                if (width != null && (width < MIN_WIDTH || width > MAX_WIDTH)) {
                    throw entry.invalid("width", "must be from " + MIN_WIDTH + " to " + MAX_WIDTH + " pixels");
                }
                if (position != null || width != null) rows.add(new ColumnDisplay(attnum, position, width));
            }
            display.replace(db, table, rows);
            return TableDescription.of(c, t, rows);
        });
    }

    private TableDescription.DisplayedColumn displayed(long db, Table t, int attnum) {
        return TableDescription.arrange(List.of(column(t, attnum)), display.forTable(db, t.oid())).get(0);
    }

    private static Column column(Table t, int attnum) {
        return column(t, attnum, 404);
    }

    /** The column with this attnum: 404 when the URL names it, 422 when a request body does. */
    private static Column column(Table t, int attnum, int status) {
        return t.column(attnum).orElseThrow(() -> new Problem(status, status == 404 ? "column_not_found" : "unknown_column", "No such column",
                "The table \"" + t.name() + "\" has no column " + attnum + ".", "Columns are addressed by the attnum the table's description gives."));
    }
}
