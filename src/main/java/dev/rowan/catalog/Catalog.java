package dev.rowan.catalog;

import dev.rowan.Problem;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a user database holds, read from PostgreSQL's catalog: schemas, tables with estimated row
 * counts, and a table's columns, keys and foreign keys. Every other part of Rowan that touches user
 * data (records, structure changes, imports) starts from a {@link Table} read here, so names are
 * only ever taken from the catalog, never from a request.
 */
public final class Catalog {
    /** Schemas people work in: not PostgreSQL's own, not Rowan's, not other extensions' temporary ones. */
    static final String USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'rowan', 'rowan_types')"
            + " AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'";

    /**
     * Kinds of relation shown as tables: ordinary, partitioned, views, materialized views, foreign tables.
     * A table is shown when the role may read any of its columns (a column-level GRANT is enough); the
     * columns it may not read are left out of its description.
     */
    private static final String TABLE_KINDS = "c.relkind IN ('r', 'p', 'v', 'm', 'f')";

    /**
     * Rows according to the planner's statistics, scaled to the table's current size the way the
     * planner does, so a table that grew since its last ANALYZE is not reported at its old size.
     * Costs one catalog lookup whatever the table's size; never scans it.
     */
    public static final String ESTIMATED_ROWS = "(CASE WHEN c.relkind IN ('v') THEN NULL"
            + " WHEN c.reltuples < 0 THEN coalesce(pg_catalog.pg_stat_get_live_tuples(c.oid), 0)"
            + " WHEN c.relpages = 0 THEN c.reltuples"
            + " ELSE round(c.reltuples / c.relpages * greatest(1, pg_catalog.pg_relation_size(c.oid)"
            + " / current_setting('block_size')::bigint)) END)::bigint";

    /** A foreign key {@code k}'s column names, then the referenced columns' names, each in key order. */
    private static final String COLUMN_NAMES = names("k.conkey", "k.conrelid") + ", " + names("k.confkey", "k.confrelid");

    private Catalog() {
    }

    public record Schema(long oid, String name, String owner, String comment, long tableCount) {
    }

    /** A table (or view) of a user database. {@code estimatedRows} is null for views. */
    public record TableSummary(long oid, String schema, String name, String kind, Long estimatedRows, String comment) {
    }

    public static List<Schema> schemas(Connection c) throws SQLException {
        String sql = "SELECT n.oid, n.nspname, pg_catalog.pg_get_userbyid(n.nspowner), pg_catalog.obj_description(n.oid, 'pg_namespace'),"
                + " (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND " + TABLE_KINDS + ")"
                + " FROM pg_catalog.pg_namespace n WHERE " + USER_SCHEMA
                + " AND pg_catalog.has_schema_privilege(n.oid, 'USAGE') ORDER BY n.nspname";
        List<Schema> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Schema(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
            }
        }
        return out;
    }

    /** The tables of one schema (all user schemas when {@code schema} is null), by name. */
    public static List<TableSummary> tables(Connection c, String schema) throws SQLException {
        String sql = "SELECT c.oid, n.nspname, c.relname, c.relkind, " + ESTIMATED_ROWS + ", pg_catalog.obj_description(c.oid, 'pg_class')"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE " + TABLE_KINDS + " AND " + USER_SCHEMA + " AND (?::text IS NULL OR n.nspname = ?)"
                + " AND pg_catalog.has_any_column_privilege(c.oid, 'SELECT') ORDER BY n.nspname, c.relname";
        List<TableSummary> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long rows = rs.getLong(5);
                    Long estimated = rs.wasNull() ? null : Math.max(0, rows);
                    out.add(new TableSummary(rs.getLong(1), rs.getString(2), rs.getString(3), kind(rs.getString(4)), estimated, rs.getString(6)));
                }
            }
        }
        return out;
    }

    /** The estimated row count of one table (null for a view): what the planner believes, at no cost. */
    public static Long estimatedRows(Connection c, long oid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ESTIMATED_ROWS + " FROM pg_catalog.pg_class c WHERE c.oid = ?")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                long rows = rs.getLong(1);
                return rs.wasNull() ? null : Math.max(0, rows);
            }
        }
    }

    private static String kind(String relkind) {
        return switch (relkind) {
            case "v" -> "view";
            case "m" -> "materialized_view";
            case "f" -> "foreign_table";
            default -> "table";
        };
    }

    /**
     * One table with its columns, keys and foreign keys. A table that does not exist, is not a table,
     * sits in a schema Rowan does not show, or cannot be read by the connected role is a 404 problem.
     */
    public static Table table(Connection c, long oid) throws SQLException {
        String sql = "SELECT n.nspname, c.relname, c.relkind, pg_catalog.obj_description(c.oid, 'pg_class'),"
                + " pg_catalog.has_table_privilege(c.oid, 'INSERT'), pg_catalog.has_table_privilege(c.oid, 'UPDATE'),"
                + " pg_catalog.has_table_privilege(c.oid, 'DELETE')"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.oid = ? AND " + TABLE_KINDS + " AND " + USER_SCHEMA + " AND pg_catalog.has_any_column_privilege(c.oid, 'SELECT')";
        String schema;
        String name;
        String kind;
        String comment;
        boolean canInsert;
        boolean canUpdate;
        boolean canDelete;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw tableNotFound(oid);
                }
                schema = rs.getString(1);
                name = rs.getString(2);
                kind = kind(rs.getString(3));
                comment = rs.getString(4);
                canInsert = rs.getBoolean(5);
                canUpdate = rs.getBoolean(6);
                canDelete = rs.getBoolean(7);
            }
        }
        List<Constraint> constraints = constraints(c, oid);
        List<Column> columns = columns(c, oid, constraints);
        List<ForeignKey> foreignKeys = foreignKeys(c, oid);
        return new Table(oid, schema, name, kind, comment, columns, constraints, foreignKeys, canInsert, canUpdate, canDelete);
    }

    public static Problem tableNotFound(long oid) {
        return new Problem(404, "table_not_found", "No such table", "There is no table with id " + oid + " in this database.",
                "It may have been renamed into another schema or deleted; reload the list of tables.");
    }

    private static List<Column> columns(Connection c, long oid, List<Constraint> constraints) throws SQLException {
        String sql = "SELECT a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.atttypid,"
                + " tn.nspname, t.typname, t.typtype, t.typcategory, bt.typname, bn.nspname,"
                + " a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,"
                + " pg_catalog.col_description(a.attrelid, a.attnum),"
                + " pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'INSERT'), pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'UPDATE'),"
                + " CASE WHEN coalesce(bt.typtype, t.typtype) = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e"
                + "   WHERE e.enumtypid = coalesce(bt.oid, t.oid) ORDER BY e.enumsortorder) END"
                + " FROM pg_catalog.pg_attribute a"
                + " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace"
                + " LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype"
                + " LEFT JOIN pg_catalog.pg_namespace bn ON bn.oid = bt.typnamespace"
                + " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'SELECT') ORDER BY a.attnum";
        List<Column> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int attnum = rs.getInt(1);
                    String typeSchema = rs.getString(5);
                    String typeName = rs.getString(6);
                    String typtype = rs.getString(7);
                    String category = rs.getString(8);
                    String baseType = rs.getString(9);
                    Array labels = rs.getArray(18);
                    ColumnKind kind = ColumnKind.of(typeSchema, typeName, typtype, category, baseType);
                    String identity = rs.getString(13);
                    String generated = rs.getString(14);
                    boolean primary = constraints.stream().anyMatch(k -> k.type().equals("primary_key") && k.attnums().contains(attnum));
                    boolean unique = constraints.stream().anyMatch(k -> !k.type().equals("foreign_key") && !k.type().equals("check")
                            && k.attnums().equals(List.of(attnum)));
                    out.add(new Column(attnum, rs.getString(2), rs.getString(3), rs.getLong(4), kind,
                            labels == null ? null : List.of((String[]) labels.getArray()),
                            !rs.getBoolean(11), rs.getString(12),
                            identity == null || identity.isEmpty() ? null : identity.equals("a") ? "always" : "by_default",
                            generated != null && !generated.isEmpty(), primary, unique, rs.getString(15),
                            rs.getBoolean(16), rs.getBoolean(17)));
                }
            }
        }
        return out;
    }

    private static List<Constraint> constraints(Connection c, long oid) throws SQLException {
        String sql = "SELECT k.conname, k.contype, k.conkey, pg_catalog.pg_get_constraintdef(k.oid), k.oid FROM pg_catalog.pg_constraint k"
                + " WHERE k.conrelid = ? AND k.contype IN ('p', 'u', 'c', 'f', 'x') ORDER BY k.contype = 'p' DESC, k.conname";
        List<Constraint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = switch (rs.getString(2)) {
                        case "p" -> "primary_key";
                        case "u" -> "unique";
                        case "c" -> "check";
                        case "f" -> "foreign_key";
                        default -> "exclusion";
                    };
                    out.add(new Constraint(rs.getString(1), type, shorts(rs.getArray(3)), rs.getString(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    private static List<ForeignKey> foreignKeys(Connection c, long oid) throws SQLException {
        String sql = "SELECT k.conname, k.conkey, k.confrelid, rn.nspname, r.relname, k.confkey, " + COLUMN_NAMES + ","
                + " k.confdeltype, k.confupdtype, k.oid"
                + " FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class r ON r.oid = k.confrelid"
                + " JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace"
                + " WHERE k.conrelid = ? AND k.contype = 'f' ORDER BY k.conname";
        List<ForeignKey> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ForeignKey(rs.getString(1), shorts(rs.getArray(2)), strings(rs.getArray(7)), rs.getLong(3),
                            rs.getString(4), rs.getString(5), shorts(rs.getArray(6)), strings(rs.getArray(8)),
                            action(rs.getString(9)), action(rs.getString(10)), rs.getLong(11)));
                }
            }
        }
        return out;
    }

    /** Foreign keys in other tables (or this one) that point at the given table. */
    public static List<Reference> referencesTo(Connection c, long oid) throws SQLException {
        String sql = "SELECT k.conname, k.conrelid, n.nspname, t.relname, " + COLUMN_NAMES
                + " FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class t ON t.oid = k.conrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE k.confrelid = ? AND k.contype = 'f' AND pg_catalog.has_any_column_privilege(k.conrelid, 'SELECT')"
                + " ORDER BY n.nspname, t.relname, k.conname";
        List<Reference> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Reference(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), strings(rs.getArray(5)),
                            strings(rs.getArray(6))));
                }
            }
        }
        return out;
    }

    private static String names(String attnums, String relation) {
        return "ARRAY(SELECT a.attname::text FROM unnest(" + attnums + ") WITH ORDINALITY u(n, i) JOIN pg_catalog.pg_attribute a"
                + " ON a.attrelid = " + relation + " AND a.attnum = u.n ORDER BY u.i)";
    }

    private static String action(String code) {
        return switch (code) {
            case "c" -> "cascade";
            case "n" -> "set_null";
            case "d" -> "set_default";
            case "r" -> "restrict";
            default -> "no_action";
        };
    }

    private static List<Integer> shorts(Array array) throws SQLException {
        if (array == null) return List.of();
        Object raw = array.getArray();
        List<Integer> out = new ArrayList<>();
        if (raw instanceof Short[] s) {
            for (Short v : s) out.add(v.intValue());
        } else if (raw instanceof Integer[] i) {
            out.addAll(Arrays.asList(i));
        }
        return List.copyOf(out);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
