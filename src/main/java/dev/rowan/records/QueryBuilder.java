package dev.rowan.records;

import dev.rowan.catalog.Column;
import dev.rowan.postgres.Identifiers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The statements of the records API. PostgreSQL builds each record's JSON ({@code row_to_json}) after
 * sorting and limiting, so only the rows of the page are ever turned into JSON, and Rowan passes that
 * text on without parsing it. Numbers, booleans and json documents stay JSON values; every other type
 * comes as PostgreSQL's text form of the value, which every type has, so no type can break a page.
 *
 * <p>Every statement reads the table as {@code t}; the selected row as {@code s} (its columns as
 * {@code c1…cn}, in table order, so no column name can collide with another alias); and the record's
 * JSON object as {@code d}. A column may be named like any alias, so aliases are only ever written
 * where PostgreSQL reads a relation first: qualifying a column ({@code t."name"}, {@code s.c1}) or as
 * the whole row {@code d.*}. A bare {@code d} would mean a column named d when there is one (PostgreSQL
 * looks a single name up as a column before it looks for a table), whereas {@code d.*} can only be the
 * relation. That holds for any name, so no list of reserved aliases has to be checked against tables.
 */
final class QueryBuilder {
    /** The record as JSON text; {@code d.*}, not {@code d}, so that a column named d cannot be taken for the row. */
    private static final String RECORD_JSON = "SELECT pg_catalog.row_to_json(d.*)::text";

    private QueryBuilder() {
    }

    /** {@code t."a" AS c1, t."b" AS c2, …}: the row before it becomes JSON. */
    private static String selected(TableInfo table) {
        List<String> out = new ArrayList<>();
        List<Column> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            out.add(Conditions.column(columns.get(i)) + " AS c" + (i + 1));
        }
        return String.join(", ", out);
    }

    /** {@code CROSS JOIN LATERAL (SELECT s.c1 AS "a", s.c2::text AS "b") AS d}: the record as JSON gets its keys from these names. */
    private static String record(TableInfo table) {
        List<String> out = new ArrayList<>();
        List<Column> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            out.add("s.c" + (i + 1) + (c.kind().nativeJson() ? "" : "::text") + " AS " + Identifiers.quote(c.name()));
        }
        return " CROSS JOIN LATERAL (SELECT " + String.join(", ", out) + ") AS d";
    }

    /** {@code s.cN::text}: a column's value in text form, next to the record. */
    private static String textOf(TableInfo table, Column c) {
        return "s.c" + (table.columns().indexOf(c) + 1) + "::text";
    }

    /**
     * A page: each row's JSON, then the text form of the {@code extra} columns (sort keys for the
     * cursor, foreign keys for their summaries). The limit and offset are bound like any value.
     */
    static SqlFragment page(TableInfo table, SqlFragment where, List<SortKey> order, long limit, long offset, List<Column> extra) {
        StringBuilder outer = new StringBuilder(RECORD_JSON);
        for (Column c : extra) outer.append(", ").append(textOf(table, c));
        return SqlFragment.sql(outer + " FROM (SELECT " + selected(table) + " FROM " + table.sqlName() + " AS t WHERE ")
                .append(where)
                .append(" ORDER BY " + Conditions.orderBy(order, table) + " LIMIT ")
                .append(SqlFragment.param(limit))
                .append(" OFFSET ")
                .append(SqlFragment.param(offset))
                .append(") AS s" + record(table));
    }

    /** The records matching {@code where} (a key: at most one), each as JSON. */
    static SqlFragment records(TableInfo table, SqlFragment where) {
        return SqlFragment.sql(RECORD_JSON + " FROM (SELECT " + selected(table) + " FROM " + table.sqlName()
                + " AS t WHERE ").append(where).append(") AS s" + record(table));
    }

    /** How many rows match, counting no further than {@code atMost}. */
    static SqlFragment count(TableInfo table, SqlFragment where, long atMost) {
        return SqlFragment.sql("SELECT pg_catalog.count(*) FROM (SELECT 1 FROM " + table.sqlName() + " AS t WHERE ")
                .append(where).append(" LIMIT ").append(SqlFragment.param(atMost)).append(") AS s");
    }

    /** The planner's plan for the matching rows, whose row estimate costs no scan. */
    static SqlFragment explain(TableInfo table, SqlFragment where) {
        return SqlFragment.sql("EXPLAIN (FORMAT JSON) SELECT 1 FROM " + table.sqlName() + " AS t WHERE ").append(where);
    }

    /** Every column in text form, for export. */
    static SqlFragment export(TableInfo table, SqlFragment where, List<SortKey> order) {
        List<String> columns = new ArrayList<>();
        for (Column c : table.columns()) columns.add(Conditions.column(c) + "::text");
        return SqlFragment.sql("SELECT " + (columns.isEmpty() ? "" : String.join(", ", columns)) + " FROM " + table.sqlName() + " AS t WHERE ")
                .append(where).append(" ORDER BY " + Conditions.orderBy(order, table));
    }

    /** {@code INSERT … RETURNING} the stored record as JSON; no values means all defaults. */
    static SqlFragment insert(TableInfo table, List<Column> columns, List<SqlFragment> values) {
        SqlFragment insert = SqlFragment.sql("INSERT INTO " + table.sqlName() + " AS t ");
        if (columns.isEmpty()) {
            insert = insert.append("DEFAULT VALUES");
        } else {
            insert = insert.append("(" + String.join(", ", columns.stream().map(Values::name).toList()) + ") VALUES ")
                    .append(SqlFragment.join(", ", values).wrap("(", ")"));
        }
        return returning(table, insert);
    }

    /**
     * {@code ROWS FROM (pg_catalog.unnest(?), …) AS k(k1, …)}: {@code rows} of {@code width} texts as a
     * relation, column i as {@code k.ki}; each column's values are bound as one text[] parameter.
     */
    static SqlFragment textRows(Collection<List<String>> rows, int width) {
        List<SqlFragment> arrays = new ArrayList<>(width);
        List<String> names = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            String[] column = new String[rows.size()];
            int r = 0;
            for (List<String> row : rows) column[r++] = row.get(i);
            arrays.add(SqlFragment.param(column).wrap("pg_catalog.unnest(CAST(", " AS pg_catalog.text[]))"));
            names.add("k" + (i + 1));
        }
        return SqlFragment.join(", ", arrays).wrap("ROWS FROM (", ") AS k(" + String.join(", ", names) + ")");
    }

    /** {@code UPDATE … RETURNING} the stored record as JSON. */
    static SqlFragment update(TableInfo table, List<Column> columns, List<SqlFragment> values, SqlFragment where) {
        List<SqlFragment> sets = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            sets.add(values.get(i).wrap(Values.name(columns.get(i)) + " = ", ""));
        }
        return returning(table, SqlFragment.sql("UPDATE " + table.sqlName() + " AS t SET ").append(SqlFragment.join(", ", sets))
                .append(" WHERE ").append(where));
    }

    static SqlFragment delete(TableInfo table, SqlFragment where) {
        return SqlFragment.sql("DELETE FROM " + table.sqlName() + " AS t WHERE ").append(where);
    }

    /** The changed row comes back through the same projection as reads, so it looks exactly like a read record. */
    private static SqlFragment returning(TableInfo table, SqlFragment change) {
        return change.wrap("WITH changed AS (", " RETURNING " + selected(table) + ")")
                .append(" " + RECORD_JSON + " FROM changed AS s" + record(table));
    }
}
