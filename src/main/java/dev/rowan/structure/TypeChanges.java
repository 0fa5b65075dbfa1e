package dev.rowan.structure;

import static dev.rowan.postgres.Identifiers.quote;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rowan.Problem;
import dev.rowan.catalog.Column;
import dev.rowan.catalog.ColumnType;
import dev.rowan.catalog.Table;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Changing a column's type: every value goes through its text form and the new type's cast (Rowan's
 * where it has one, so "1,234" becomes an integer), all in one ALTER that either converts every row or
 * none. The check runs the same casts over the column without changing anything.
 */
public final class TypeChanges {
    /** At most this many distinct failing values are shown. */
    static final int SAMPLES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One distinct value that would not convert, PostgreSQL's reason, and how many rows hold it. */
    public record Sample(String value, String message, long rows) {
    }

    /** {@code total}: rows with a value; {@code failing}: rows whose value would not convert. */
    public record Check(long total, long failing, List<Sample> samples) {
    }

    private TypeChanges() {
    }

    /**
     * Which values of the column would not become values of {@code type}. One query: each distinct
     * value is cast once by rowan.cast_error (the same cast the change uses), and rows are counted per value.
     */
    static Check check(Connection c, Table table, Column column, ColumnType type) throws SQLException {
        String col = quote(column.name());
        String sql = "WITH checked AS MATERIALIZED (SELECT v, n, rowan.cast_error(v, CAST(? AS pg_catalog.regtype), ?) AS err"
                + " FROM (SELECT " + col + "::text AS v, count(*) AS n FROM " + table.sqlName() + " WHERE " + col + " IS NOT NULL GROUP BY 1) g)"
                + " SELECT (SELECT coalesce(sum(n), 0) FROM checked), (SELECT coalesce(sum(n), 0) FROM checked WHERE err IS NOT NULL),"
                + " (SELECT pg_catalog.json_agg(pg_catalog.json_build_object('value', v, 'message', err, 'rows', n) ORDER BY n DESC, v)"
                + "  FROM (SELECT v, err, n FROM checked WHERE err IS NOT NULL ORDER BY n DESC, v LIMIT " + SAMPLES + ") s)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, type.sql());
            ps.setBoolean(2, !column.nullable());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String samples = rs.getString(3);
                return new Check(rs.getLong(1), rs.getLong(2), samples == null ? List.of() : JSON.readValue(samples, new TypeReference<List<Sample>>() { }));
            }
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL's JSON could not be read", e);
        }
    }

    /**
     * The ALTER itself, as a step of a change. When it fails on values, the change is rolled back and
     * answered as 422 cast_failed with the failing values.
     */
    static void apply(Change change, Table table, Column column, ColumnType type) throws SQLException {
        change.explainFailuresBy((c, e) -> explain(c, table, column, type, e));
        String col = quote(column.name());
        change.execute("ALTER TABLE " + table.sqlName() + " ALTER COLUMN " + col + " TYPE " + type.sql()
                + " USING " + type.fromText(col + "::text"));
    }

    private static Problem explain(Connection c, Table table, Column column, ColumnType type, SQLException e) throws SQLException {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("22") || state.equals("23502") || state.equals("23514")) {
            Check check = check(c, table, column, type);
            if (check.failing() == 0) return null;
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("column", column.name());
            extra.put("total", check.total());
            extra.put("failing", check.failing());
            extra.put("samples", check.samples());
            Sample first = check.samples().get(0);
            return new Problem(422, "cast_failed", "Some values do not fit the new type",
                    check.failing() + " of " + check.total() + " values of \"" + column.name() + "\" cannot become " + type.id()
                            + ", for example: " + first.message() + ". Nothing was changed.",
                    "Correct those values first (the samples list them), or choose another type.", Map.of(), extra);
        }
        return null;
    }

    /**
     * PostgreSQL cannot change the type of a column that a view reads; asked first, so the answer can
     * name the views (PostgreSQL's own refusal, SQLSTATE 0A000, names only one).
     */
    static void requireNoViews(Connection c, Table table, Column column) throws SQLException {
        List<Dependents.Dependent> views = Dependents.ofColumn(c, table.oid(), column.attnum()).stream()
                .filter(d -> d.type().equals("view") || d.type().equals("materialized view")).toList();
        if (!views.isEmpty()) {
            throw Tables.hasDependents("The column \"" + column.name() + "\"", views,
                    "PostgreSQL cannot change the type of a column that a view uses: delete the view first, then create it again.");
        }
    }
}
