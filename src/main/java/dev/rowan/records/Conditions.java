package dev.rowan.records;

import dev.rowan.catalog.Column;
import dev.rowan.catalog.ColumnKind;
import dev.rowan.postgres.Identifiers;
import java.util.ArrayList;
import java.util.List;

/**
 * Filters, search and "after this row" as SQL conditions on the table aliased {@code t}.
 *
 * <p>{@code ne}, {@code not_contains} and {@code not} are complements: they match what the positive
 * condition does not, including empty (NULL) cells, as a person reading "is not 5" expects.
 */
final class Conditions {
    /** The host of a URI: after "scheme://" and any "user@", up to the port, path, query or fragment (IPv6 literals in brackets). */
    private static final String URI_HOST = "'^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(\\[[^]]*\\]|[^:/?#]*)'";

    private Conditions() {
    }

    static String column(Column c) {
        return "t." + Identifiers.quote(c.name());
    }

    private static String text(Column c) {
        return column(c) + "::text";
    }

    static SqlFragment of(Filter filter, TableInfo table) {
        if (filter == null) return SqlFragment.TRUE;
        if (filter instanceof Filter.And and) {
            return SqlFragment.and(and.parts().stream().map(p -> of(p, table)).toList());
        }
        if (filter instanceof Filter.Or or) {
            return SqlFragment.or(or.parts().stream().map(p -> of(p, table)).toList());
        }
        if (filter instanceof Filter.Not not) {
            return of(not.inner(), table).wrap("(", ") IS NOT TRUE");
        }
        if (filter instanceof Filter.Search search) {
            String pattern = "%" + likeEscape(search.term()) + "%";
            return SqlFragment.or(search.columns().stream()
                    .map(c -> SqlFragment.param(pattern).wrap(text(c) + " ILIKE ", "")).toList());
        }
        if (filter instanceof Filter.KeyEquals key) {
            Column c = key.column();
            return key.text() == null ? SqlFragment.sql(column(c) + " IS NULL")
                    : Values.exact(table.details(c), key.text()).wrap(column(c) + " = ", "");
        }
        return leaf((Filter.Leaf) filter, table);
    }

    private static SqlFragment leaf(Filter.Leaf leaf, TableInfo table) {
        Column c = leaf.column();
        String v = leaf.value();
        String col = column(c);
        String text = text(c);
        return switch (leaf.op()) {
            case EQ -> compare(c, table, "=", v);
            case NE -> compare(c, table, "IS DISTINCT FROM", v);
            case LT -> compare(c, table, "<", v);
            case LE -> compare(c, table, "<=", v);
            case GT -> compare(c, table, ">", v);
            case GE -> compare(c, table, ">=", v);
            case IS_NULL -> SqlFragment.sql(col + " IS NULL");
            case IS_NOT_NULL -> SqlFragment.sql(col + " IS NOT NULL");
            case IS_TRUE -> SqlFragment.sql(col + " IS TRUE");
            case IS_FALSE -> SqlFragment.sql(col + " IS FALSE");
            case CONTAINS -> like(text, "LIKE", "%" + likeEscape(v) + "%");
            case NOT_CONTAINS -> like(text, "LIKE", "%" + likeEscape(v) + "%").wrap("(", ") IS NOT TRUE");
            case STARTS_WITH -> like(text, "LIKE", likeEscape(v) + "%");
            case ENDS_WITH -> like(text, "LIKE", "%" + likeEscape(v));
            case CONTAINS_CI -> like(text, "ILIKE", "%" + likeEscape(v) + "%");
            case STARTS_WITH_CI -> like(text, "ILIKE", likeEscape(v) + "%");
            case ENDS_WITH_CI -> like(text, "ILIKE", "%" + likeEscape(v));
            case EQ_CI -> SqlFragment.param(v).wrap("pg_catalog.lower(" + text + ") = pg_catalog.lower(", ")");
            case EMAIL_DOMAIN -> SqlFragment.param(strip(v, "@", "")).wrap(
                    "pg_catalog.lower(pg_catalog.split_part(" + text + ", '@', 2)) = pg_catalog.lower(", ")");
            case URI_HOST -> SqlFragment.param(v).wrap(
                    "pg_catalog.lower(pg_catalog.substring(" + text + ", " + URI_HOST + ")) = pg_catalog.lower(", ")");
            case URI_SCHEME -> SqlFragment.param(strip(v, "", "://").replaceAll(":$", "")).wrap(
                    "pg_catalog.lower(pg_catalog.split_part(" + text + ", ':', 1)) = pg_catalog.lower(", ")");
            case HAS -> Values.element(table.details(c), v).wrap(col + " @> ARRAY[", "]");
            case HAS_KEY -> SqlFragment.param(v).wrap("CAST(" + col + " AS pg_catalog.jsonb) ?? ", "");
        };
    }

    /**
     * Whether comparisons on the column compare text. Types Rowan knows nothing about do, by their
     * text form, which every type has (a point, a range, an XML document); so do email addresses and
     * URIs, which are text, so that "before B" needs no complete address.
     */
    static boolean comparesText(Column c) {
        return c.kind() == ColumnKind.OTHER || c.kind() == ColumnKind.EMAIL || c.kind() == ColumnKind.URI;
    }

    /** A comparison with a value typed by a person, read as a value of the column's type unless the column {@link #comparesText}. */
    private static SqlFragment compare(Column c, TableInfo table, String operator, String value) {
        if (comparesText(c)) {
            return SqlFragment.param(value).wrap(text(c) + " " + operator + " ", "");
        }
        return Values.typed(c, table.details(c), value).wrap(column(c) + " " + operator + " ", "");
    }

    private static SqlFragment like(String text, String operator, String pattern) {
        return SqlFragment.param(pattern).wrap(text + " " + operator + " ", "");
    }

    /** The value matched literally by LIKE: its wildcards and the escape character escaped. */
    static String likeEscape(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String strip(String value, String prefix, String suffix) {
        String v = value.strip();
        if (!prefix.isEmpty() && v.startsWith(prefix)) v = v.substring(prefix.length());
        if (!suffix.isEmpty() && v.endsWith(suffix)) v = v.substring(0, v.length() - suffix.length());
        return v;
    }

    /** The expression a sort key orders by: the column, or its text form when its type has no ordering. */
    static String sortExpression(SortKey k, TableInfo table) {
        return table.details(k.column()).orderable() ? column(k.column()) : text(k.column());
    }

    static String orderBy(List<SortKey> order, TableInfo table) {
        List<String> parts = new ArrayList<>();
        for (SortKey k : order) {
            parts.add(sortExpression(k, table) + (k.descending() ? " DESC NULLS FIRST" : " ASC NULLS LAST"));
        }
        return String.join(", ", parts);
    }

    /**
     * The rows after the one whose sort-key values are {@code values}, in the order {@code order}.
     * With every key in one direction and no NULL possible, that is one row comparison, which an
     * index on those columns answers directly. Otherwise it is spelled out key by key: equal on all
     * earlier keys and after on this one, where NULLs come last when ascending and first when descending.
     */
    static SqlFragment after(List<SortKey> order, List<String> values, TableInfo table) {
        boolean sameDirection = order.stream().allMatch(k -> k.descending() == order.get(0).descending());
        boolean noNulls = values.stream().allMatch(v -> v != null) && order.stream().noneMatch(k -> k.column().nullable());
        if (sameDirection && noNulls) {
            List<SqlFragment> left = new ArrayList<>();
            List<SqlFragment> right = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                left.add(SqlFragment.sql(sortExpression(order.get(i), table)));
                right.add(keyValue(order.get(i), values.get(i), table));
            }
            String op = order.get(0).descending() ? " < " : " > ";
            return SqlFragment.join(", ", left).wrap("(", ")" + op).append(SqlFragment.join(", ", right).wrap("(", ")"));
        }
        List<SqlFragment> alternatives = new ArrayList<>();
        List<SqlFragment> equalSoFar = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            SortKey k = order.get(i);
            String expr = sortExpression(k, table);
            String v = values.get(i);
            SqlFragment beyond;
            if (v == null) {
                beyond = k.descending() ? SqlFragment.sql(expr + " IS NOT NULL") : null;
            } else {
                SqlFragment compared = keyValue(k, v, table).wrap(expr + (k.descending() ? " < " : " > "), "");
                beyond = !k.descending() && k.column().nullable()
                        ? compared.wrap("(", " OR " + expr + " IS NULL)") : compared;
            }
            if (beyond != null) {
                List<SqlFragment> alternative = new ArrayList<>(equalSoFar);
                alternative.add(beyond);
                alternatives.add(SqlFragment.and(alternative));
            }
            equalSoFar.add(v == null ? SqlFragment.sql(expr + " IS NULL") : keyValue(k, v, table).wrap(expr + " = ", ""));
        }
        return SqlFragment.or(alternatives);
    }

    private static SqlFragment keyValue(SortKey k, String value, TableInfo table) {
        return table.details(k.column()).orderable() ? Values.exact(table.details(k.column()), value) : SqlFragment.param(value);
    }
}
