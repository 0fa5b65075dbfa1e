package dev.rowan.structure;

import static dev.rowan.postgres.Identifiers.quote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.Problem;
import dev.rowan.catalog.Catalog;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.Constraint;
import dev.rowan.catalog.Table;
import dev.rowan.postgres.PostgresErrors;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Adding foreign keys and dropping constraints of any kind, addressed by their OID. */
final class Constraints {
    /** The referential actions by the names the API uses. */
    private static final Map<String, String> ACTIONS = Map.of(
            "no_action", "NO ACTION", "restrict", "RESTRICT", "cascade", "CASCADE", "set_null", "SET NULL", "set_default", "SET DEFAULT");
    /** At most this many missing values are shown. */
    private static final int SAMPLES = 5;

    private Constraints() {
    }

    /**
     * Adds a foreign key from {@code {columns, referencedTable, referencedColumns?, onDelete?, onUpdate?, name?}}
     * (columns by attnum or name; referenced columns default to the referenced table's primary key) and
     * returns the new constraint's OID. Values with no match are a 422 listing some of them.
     */
    static long addForeignKey(Connection c, Table table, Body body) throws SQLException {
        Columns.requireTable(table);
        List<Column> columns = columns(table, body, "columns");
        if (columns.isEmpty()) {
            throw body.invalid("columns", "is required (the columns that refer to the other table)");
        }
        Long referencedOid = body.optionalLong("referencedTable");
        if (referencedOid == null) {
            throw body.invalid("referencedTable", "is required (the OID of the table referred to)");
        }
        Table referenced;
        try {
            referenced = Catalog.table(c, referencedOid);
        } catch (Problem p) {
            throw new Problem(422, "unknown_table", "The referenced table does not exist", p.detail(), p.hint());
        }
        List<Column> referencedColumns = body.has("referencedColumns") ? columns(referenced, body, "referencedColumns") : referenced.primaryKey();
        if (referencedColumns.isEmpty()) {
            throw new Problem(422, "no_primary_key", "The referenced table has no primary key",
                    "\"" + referenced.name() + "\" has no primary key, so say which of its columns the foreign key refers to.",
                    "Give \"referencedColumns\" (columns that are unique together).");
        }
        if (referencedColumns.size() != columns.size()) {
            throw new Problem(422, "column_count_mismatch", "The columns do not pair up",
                    columns.size() + " column(s) cannot refer to " + referencedColumns.size() + " column(s).",
                    "Give as many columns as the referenced key has.");
        }
        String onDelete = action(body, "onDelete");
        String onUpdate = action(body, "onUpdate");
        String name = body.has("name") && !body.isNull("name") ? Names.require(body.optionalString("name"), "constraint") : null;
        String sql = "ALTER TABLE " + table.sqlName() + " ADD " + (name == null ? "" : "CONSTRAINT " + quote(name) + " ")
                + "FOREIGN KEY (" + names(columns) + ") REFERENCES " + referenced.sqlName() + " (" + names(referencedColumns) + ")"
                + " ON DELETE " + onDelete + " ON UPDATE " + onUpdate;
        Set<Long> before = foreignKeyOids(c, table.oid());
        Change.run(c, table, columns.size() == 1 ? columns.get(0).name() : null, change -> {
            change.explainFailuresBy((conn, e) -> explain(conn, table, columns, referenced, referencedColumns, e));
            change.execute(sql);
        });
        Set<Long> after = foreignKeyOids(c, table.oid());
        after.removeAll(before);
        return after.iterator().next();
    }

    /** Drops a constraint of the table; foreign keys that need it (a unique key they point at) make it a 409, unless {@code cascade}. */
    static void drop(Connection c, Table table, long oid, boolean cascade) throws SQLException {
        Constraint constraint = table.constraints().stream().filter(k -> k.oid() == oid).findFirst()
                .orElseThrow(() -> new Problem(404, "constraint_not_found", "No such constraint",
                        "The table \"" + table.name() + "\" has no constraint with id " + oid + ".", "Reload the table to see its constraints."));
        if (!cascade) {
            Problem dependents = Columns.dependentsOf(c, constraint);
            if (dependents != null) throw dependents;
        }
        Change.run(c, table, null, change -> change.execute("ALTER TABLE " + table.sqlName() + " DROP CONSTRAINT "
                + quote(constraint.name()) + (cascade ? " CASCADE" : " RESTRICT")));
    }

    private static Problem explain(Connection c, Table table, List<Column> columns, Table referenced, List<Column> referencedColumns,
                                   SQLException e) throws SQLException {
        return switch (e.getSQLState() == null ? "" : e.getSQLState()) {
            case "23503" -> missingReferences(c, table, columns, referenced, referencedColumns);
            case "42830" -> new Problem(422, "referenced_not_unique", "The referenced columns are not a key",
                    "A foreign key must refer to columns that are unique together in \"" + referenced.name() + "\" (its primary key, or a unique constraint).",
                    "Make those columns unique first, or refer to the primary key.");
            case "42804" -> new Problem(422, "type_mismatch", "The column types do not match",
                    sentence(e) + ".", "A foreign key column must have the type of the column it refers to (or a compatible one).");
            default -> null;
        };
    }

    private static Problem missingReferences(Connection c, Table table, List<Column> columns, Table referenced, List<Column> referencedColumns)
            throws SQLException {
        List<String> notNull = new ArrayList<>();
        List<String> match = new ArrayList<>();
        List<String> asText = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String col = "t." + quote(columns.get(i).name());
            notNull.add(col + " IS NOT NULL");
            match.add("r." + quote(referencedColumns.get(i).name()) + " = " + col);
            asText.add(col + "::text");
        }
        String sql = "SELECT ARRAY[" + String.join(", ", asText) + "], count(*), sum(count(*)) OVER () FROM " + table.sqlName() + " t"
                + " WHERE " + String.join(" AND ", notNull)
                + " AND NOT EXISTS (SELECT 1 FROM " + referenced.sqlName() + " r WHERE " + String.join(" AND ", match) + ")"
                + " GROUP BY " + String.join(", ", asText) + " ORDER BY 2 DESC, 1 LIMIT " + SAMPLES;
        List<Map<String, Object>> samples = new ArrayList<>();
        long rows = 0;
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Array values = rs.getArray(1);
                Map<String, Object> sample = new LinkedHashMap<>();
                sample.put("values", List.of((String[]) values.getArray()));
                sample.put("rows", rs.getLong(2));
                samples.add(sample);
                rows = rs.getLong(3);
            }
        }
        if (samples.isEmpty()) return null;
        Map<String, Object> extra = new LinkedHashMap<>();
        if (columns.size() == 1) extra.put("column", columns.get(0).name());
        extra.put("missingRows", rows);
        extra.put("samples", samples);
        return new Problem(422, "missing_references", "Some values have no match",
                rows + " row" + (rows == 1 ? "" : "s") + " of \"" + table.name() + "\" refer to values that \"" + referenced.name()
                        + "\" does not have, for example " + samples.get(0).get("values") + ".",
                "Correct or empty those values first, or add the missing rows to \"" + referenced.name() + "\".", Map.of(), extra);
    }

    /** Columns named in a body field, by attnum (numbers) or name (strings). */
    private static List<Column> columns(Table table, Body body, String field) {
        List<Column> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (JsonNode ref : body.array(field)) {
            Column column;
            if (ref.isIntegralNumber()) {
                column = table.column(ref.asInt()).orElseThrow(() -> unknownColumn(table, ref.asText()));
            } else if (ref.isTextual()) {
                column = table.column(ref.asText()).orElseThrow(() -> unknownColumn(table, "\"" + ref.asText() + "\""));
            } else {
                throw body.invalid(field, "must list columns by attnum or name");
            }
            if (!seen.add(column.attnum())) {
                throw new Problem(422, "duplicate_column", "A column is listed twice", "\"" + column.name() + "\" appears twice in \"" + field + "\".", null);
            }
            out.add(column);
        }
        return out;
    }

    private static Problem unknownColumn(Table table, String ref) {
        return new Problem(422, "unknown_column", "No such column", "The table \"" + table.name() + "\" has no column " + ref + ".",
                "Reload the table to see its columns.");
    }

    private static String action(Body body, String field) {
        String value = body.optionalString(field);
        if (value == null) return "NO ACTION";
        String sql = ACTIONS.get(value);
        if (sql == null) {
            throw body.invalid(field, "must be one of no_action, restrict, cascade, set_null, set_default");
        }
        return sql;
    }

    private static String names(List<Column> columns) {
        return String.join(", ", columns.stream().map(col -> quote(col.name())).toList());
    }

    private static Set<Long> foreignKeyOids(Connection c, long table) throws SQLException {
        Set<Long> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT oid FROM pg_catalog.pg_constraint WHERE conrelid = ? AND contype = 'f'")) {
            ps.setLong(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static String sentence(SQLException e) {
        return PostgresErrors.firstLine(e.getMessage());
    }
}
