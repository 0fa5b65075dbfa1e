package dev.rowan.internal;

import java.util.List;

/**
 * How people arranged a table's columns in the grid (order and width), kept per connected database
 * in Rowan's own database. Rows are keyed by the table's OID and the column's attnum, which survive
 * renames; rows of columns or tables that no longer exist are simply never matched again.
 */
public final class ColumnDisplayStore {
    /** One column's arrangement; either part may be unset (null). */
    public record ColumnDisplay(int attnum, Integer position, Integer width) {
    }

    private final Jdbc jdbc;

    public ColumnDisplayStore(InternalDatabase db) {
        this.jdbc = db.jdbc();
    }

    public List<ColumnDisplay> forTable(long databaseId, long tableOid) {
        return jdbc.query("SELECT attnum, position, width FROM rowan_column_display WHERE database_id = ? AND table_oid = ? ORDER BY attnum",
                rs -> {
                    int attnum = rs.getInt(1);
                    int position = rs.getInt(2);
                    Integer p = rs.wasNull() ? null : position;
                    int width = rs.getInt(3);
                    return new ColumnDisplay(attnum, p, rs.wasNull() ? null : width);
                }, databaseId, tableOid);
    }

    /** Replaces the table's whole arrangement in one transaction: what is not listed goes back to its natural place and width. */
    public void replace(long databaseId, long tableOid, List<ColumnDisplay> columns) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM rowan_column_display WHERE database_id = ? AND table_oid = ?", databaseId, tableOid);
            for (ColumnDisplay d : columns) {
                Jdbc.update(c, "INSERT INTO rowan_column_display (database_id, table_oid, attnum, position, width) VALUES (?, ?, ?, ?, ?)",
                        databaseId, tableOid, d.attnum(), d.position(), d.width());
            }
            return null;
        });
    }

    /** Forgets a dropped table, so a table that later gets the same OID starts with its natural arrangement. */
    public void forgetTable(long databaseId, long tableOid) {
        jdbc.update("DELETE FROM rowan_column_display WHERE database_id = ? AND table_oid = ?", databaseId, tableOid);
    }

    public void forgetColumn(long databaseId, long tableOid, int attnum) {
        jdbc.update("DELETE FROM rowan_column_display WHERE database_id = ? AND table_oid = ? AND attnum = ?", databaseId, tableOid, attnum);
    }
}
