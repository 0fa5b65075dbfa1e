package dev.rowan.structure;

import static dev.rowan.postgres.Identifiers.quote;

import dev.rowan.Problem;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.ColumnType;
import dev.rowan.catalog.Constraint;
import dev.rowan.catalog.Table;
import dev.rowan.postgres.SqlProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Adding, changing and dropping one column: name, type, default, NOT NULL, uniqueness and comment. */
final class Columns {
    private Columns() {
    }

    /** Adds a column and returns its attnum. */
    static int add(Connection c, Table table, ColumnSpec spec) throws SQLException {
        requireTable(table);
        String qualified = table.sqlName();
        Change.run(c, table, spec.name(), change -> {
            change.explainFailuresBy((conn, e) -> SqlProblems.isBadValue(e) ? invalidDefault(e, spec.name()) : null);
            String definition = spec.definition(change);
            change.explainFailuresBy((conn, e) -> "23502".equals(e.getSQLState()) ? newColumnHasNulls(conn, table, spec.name()) : null);
            change.execute("ALTER TABLE " + qualified + " ADD COLUMN " + definition);
            if (spec.comment() != null) {
                change.execute("COMMENT ON COLUMN " + qualified + "." + quote(spec.name()) + " IS " + change.literal(spec.comment()));
            }
        });
        try (PreparedStatement ps = c.prepareStatement("SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = ? AND attname = ? AND NOT attisdropped")) {
            ps.setLong(1, table.oid());
            ps.setString(2, spec.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Applies {@code {name?, type?, default? | defaultExpression?, nullable?, unique?, comment?}} to a
     * column in one transaction. A type change keeps the column's default, converted to the new type
     * when PostgreSQL cannot do it itself; a default that cannot be converted stops the change.
     */
    static void update(Connection c, Table table, Column column, Body body) throws SQLException {
        requireTable(table);
        String newName = body.has("name") ? Names.require(body.optionalString("name"), "column") : column.name();
        ColumnType type = body.has("type") ? ColumnType.byId(body.string("type")) : null;
        DefaultValue defaultValue = DefaultValue.from(body);
        Boolean nullable = body.optionalBoolean("nullable");
        Boolean unique = body.optionalBoolean("unique");
        boolean retype = type != null && !type.sql().equals(column.type());
        if (column.generated() && (retype || defaultValue != null)) {
            throw new Problem(422, "generated_column", "The column is computed",
                    "PostgreSQL computes \"" + column.name() + "\" from other columns, so its type and default follow from that expression.",
                    "Change the columns it is computed from instead.");
        }
        if (retype) {
            TypeChanges.requireNoViews(c, table, column);
        }
        String qualified = table.sqlName();
        String alter = "ALTER TABLE " + qualified + " ALTER COLUMN " + quote(column.name()) + " ";
        Change.run(c, table, column.name(), change -> {
            boolean hadDefault = column.defaultExpression() != null;
            if (hadDefault && (retype || defaultValue != null)) {
                change.execute(alter + "DROP DEFAULT");
            }
            if (retype) {
                TypeChanges.apply(change, table, column, type);
            }
            String castOfParameter = type != null ? type.fromText("?") : castOfParameter(column);
            if (defaultValue != null) {
                if (type == null) requireFits(change, column, defaultValue);
                change.explainFailuresBy((conn, e) -> SqlProblems.isBadValue(e) || "42804".equals(e.getSQLState())
                        ? invalidDefault(e, column.name()) : null);
                String sql = defaultValue.sql(change, castOfParameter);
                if (sql != null) change.execute(alter + "SET DEFAULT " + sql);
            } else if (retype && hadDefault) {
                restoreDefault(change, column, type, alter);
            }
            if (nullable != null && nullable != column.nullable()) {
                change.explainFailuresBy((conn, e) -> "23502".equals(e.getSQLState()) ? hasNulls(conn, table, column) : null);
                change.execute(alter + (nullable ? "DROP NOT NULL" : "SET NOT NULL"));
            }
            if (unique != null && unique != column.unique()) {
                if (unique) {
                    change.explainFailuresBy((conn, e) -> "23505".equals(e.getSQLState()) ? hasDuplicates(conn, table, column) : null);
                    change.execute("ALTER TABLE " + qualified + " ADD UNIQUE (" + quote(column.name()) + ")");
                } else {
                    dropUnique(change, table, column);
                }
            }
            change.explainFailuresBy(null);
            if (body.has("comment")) {
                change.execute("COMMENT ON COLUMN " + qualified + "." + quote(column.name()) + " IS " + change.literal(body.optionalString("comment")));
            }
            if (!newName.equals(column.name())) {
                change.execute("ALTER TABLE " + qualified + " RENAME COLUMN " + quote(column.name()) + " TO " + quote(newName));
            }
        });
    }

    /** Drops a column; views and other tables' foreign keys using it make it a 409 listing them, unless {@code cascade}. */
    static void drop(Connection c, Table table, Column column, boolean cascade) throws SQLException {
        requireTable(table);
        if (!cascade) {
            List<Dependents.Dependent> dependents = Dependents.ofColumn(c, table.oid(), column.attnum());
            if (!dependents.isEmpty()) {
                throw Tables.hasDependents("The column \"" + column.name() + "\"", dependents,
                        "Delete or change them first, or delete the column together with them (cascade=true).");
            }
        }
        Change.run(c, table, column.name(), change -> change.execute("ALTER TABLE " + table.sqlName() + " DROP COLUMN "
                + quote(column.name()) + (cascade ? " CASCADE" : " RESTRICT")));
    }

    /** How text becomes a value of the column's current type: Rowan's cast for the types it offers, PostgreSQL's own input for others. */
    static String castOfParameter(Column column) {
        return ColumnType.bySql(column.type()).map(t -> t.fromText("?")).orElse("CAST(? AS " + column.type() + ")");
    }

    /**
     * An explicit cast to varchar(3) or bit(3) silently cuts a longer value to the length (where an
     * INSERT refuses it): a constant default that the column's length would change is refused.
     */
    static void requireFits(Change change, Column column, DefaultValue value) throws SQLException {
        if (!(value instanceof DefaultValue.Constant k) || ColumnType.bySql(column.type()).isPresent()) return;
        Change.BaseType base = change.baseType(column.typeOid());
        if (!base.modifierIsLength() || base.name().equals(column.type())) return;
        String whole = change.literal("CAST(? AS " + base.name() + ")", k.text());
        if (!whole.equals(change.literal(castOfParameter(column), k.text()))) {
            throw new Problem(422, "invalid_default", "The default does not fit the column",
                    "The value " + whole + " is longer than " + column.type() + " allows.",
                    "Give a shorter value, or change the column's type.", Map.of(), Map.of("column", column.name()));
        }
    }

    static void requireTable(Table table) {
        if (!table.kind().equals("table")) {
            throw new Problem(422, "not_a_table", "Only a table's columns can be changed",
                    "\"" + table.name() + "\" is a " + table.kind().replace('_', ' ') + "; its columns follow from its definition.", null);
        }
    }

    static Problem invalidDefault(SQLException e, String column) {
        Problem p = SqlProblems.of(e, null, column);
        return new Problem(422, "invalid_default", "The default does not fit the column", p.detail(),
                p.hint() != null ? p.hint() : "Give a value of the column's type.", Map.of(), Map.of("column", column));
    }

    /**
     * Keeps the column's default across a type change: as it is when PostgreSQL can convert it, else,
     * for a constant, its text read by the new type's cast. Anything else stops the change.
     */
    private static void restoreDefault(Change change, Column column, ColumnType type, String alter) throws SQLException {
        String expression = column.defaultExpression();
        if (change.attempt(alter + "SET DEFAULT " + expression)) {
            return;
        }
        String constant = DefaultValue.constantText(expression);
        Problem incompatible = new Problem(422, "default_incompatible", "The column's default does not fit the new type",
                "The default of \"" + column.name() + "\", " + expression + ", cannot become a value of type " + type.id() + ".",
                "Change the type together with a new default (\"default\": value) or none (\"default\": null).",
                Map.of(), Map.of("column", column.name()));
        if (constant == null) {
            throw incompatible;
        }
        change.explainFailuresBy((conn, e) -> SqlProblems.isBadValue(e) ? incompatible : null);
        String literal = change.literal(type.fromText("?"), constant);
        change.explainFailuresBy(null);
        if (literal != null && !literal.equals("NULL")) {
            change.execute(alter + "SET DEFAULT " + literal);
        }
    }

    private static void dropUnique(Change change, Table table, Column column) throws SQLException {
        List<Constraint> uniques = table.constraints().stream()
                .filter(k -> k.type().equals("unique") && k.attnums().equals(List.of(column.attnum()))).toList();
        if (uniques.isEmpty()) {
            throw new Problem(422, "primary_key", "The primary key is unique by definition",
                    "\"" + column.name() + "\" is the table's primary key, which is always unique.",
                    "Delete the primary key constraint first if the values really may repeat.");
        }
        for (Constraint k : uniques) {
            change.explainFailuresBy((conn, e) -> "2BP01".equals(e.getSQLState()) ? dependentsOf(conn, k) : null);
            change.execute("ALTER TABLE " + table.sqlName() + " DROP CONSTRAINT " + quote(k.name()));
        }
    }

    static Problem dependentsOf(Connection c, Constraint k) throws SQLException {
        List<Dependents.Dependent> dependents = Dependents.ofConstraint(c, k.oid());
        return dependents.isEmpty() ? null : Tables.hasDependents("The constraint \"" + k.name() + "\"", dependents,
                "Delete the foreign keys that point at it first.");
    }

    private static Problem hasNulls(Connection c, Table table, Column column) throws SQLException {
        long count = count(c, "SELECT count(*) FROM " + table.sqlName() + " WHERE " + quote(column.name()) + " IS NULL");
        return new Problem(422, "has_nulls", "Some rows have no value",
                count + " row" + (count == 1 ? " has" : "s have") + " no value in \"" + column.name() + "\", so it cannot require one.",
                "Fill in those rows first (filter the column by \"is empty\"), or give the column a default.",
                Map.of(), Map.of("column", column.name(), "count", count));
    }

    private static Problem newColumnHasNulls(Connection c, Table table, String column) throws SQLException {
        long count = count(c, "SELECT count(*) FROM " + table.sqlName());
        return new Problem(422, "has_nulls", "Existing rows would have no value",
                "The table has " + count + " row" + (count == 1 ? "" : "s") + ", which would have no value in the new required column \"" + column + "\".",
                "Give the column a default, or add it as optional, fill it in, then make it required.",
                Map.of(), Map.of("column", column, "count", count));
    }

    private static Problem hasDuplicates(Connection c, Table table, Column column) throws SQLException {
        String col = quote(column.name());
        List<Map<String, Object>> duplicates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + col + "::text, count(*) FROM " + table.sqlName()
                + " WHERE " + col + " IS NOT NULL GROUP BY " + col + " HAVING count(*) > 1 ORDER BY 2 DESC, 1 LIMIT 5");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("value", rs.getString(1));
                d.put("rows", rs.getLong(2));
                duplicates.add(d);
            }
        }
        if (duplicates.isEmpty()) return null;
        return new Problem(422, "has_duplicates", "Some values occur more than once",
                "\"" + column.name() + "\" cannot be unique: " + String.join(", ", duplicates.stream()
                        .map(d -> "\"" + d.get("value") + "\" (" + d.get("rows") + " rows)").toList()) + (duplicates.size() == 5 ? ", …" : "") + ".",
                "Change or delete the repeated values first.", Map.of(), Map.of("column", column.name(), "duplicates", duplicates));
    }

    static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
